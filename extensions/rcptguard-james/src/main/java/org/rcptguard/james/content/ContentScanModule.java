package org.rcptguard.james.content;

import java.io.FileNotFoundException;

import javax.inject.Singleton;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.utils.PropertiesProvider;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

/**
 * Content scanning at the end of DATA: {@code guice.extension.module=...,org.rcptguard.james.content.ContentScanModule}
 * in {@code extensions.properties}, with {@link RcptGuardContentPolicyHook} and {@link ContentScanHook} in
 * {@code smtpserver.xml}. Reads the {@code content.*} settings of {@code conf/rcptguard.properties}.
 */
public class ContentScanModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(ContentScanners.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    ContentSettings settings(PropertiesProvider properties) throws ConfigurationException {
        try {
            return ContentSettings.of(properties.getConfiguration("rcptguard"));
        } catch (FileNotFoundException e) {
            return ContentSettings.of(new BaseConfiguration());
        }
    }
}
