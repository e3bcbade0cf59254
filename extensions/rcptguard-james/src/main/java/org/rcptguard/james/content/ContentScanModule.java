package org.rcptguard.james.content;

import javax.inject.Singleton;

import org.rcptguard.core.RcptGuardSettings;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

/**
 * Content scanning at the end of DATA: {@code guice.extension.module=...,org.rcptguard.james.content.ContentScanModule}
 * in {@code extensions.properties}, with {@link RcptGuardContentPolicyHook} and {@link ContentScanHook} in
 * {@code smtpserver.xml}. Its {@code content.*} settings are read with
 * the rest of {@code conf/rcptguard.properties} ({@link RcptGuardSettings}, bound by {@code RcptGuardModule}).
 */
public class ContentScanModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(ContentScanners.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    ContentSettings settings(RcptGuardSettings settings) {
        return ContentSettings.from(settings);
    }
}
