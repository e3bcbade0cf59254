package org.rcptguard.james;

import java.io.FileNotFoundException;
import java.time.Clock;
import java.util.Properties;

import javax.inject.Singleton;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.utils.PropertiesProvider;
import org.rcptguard.core.Greylist;
import org.rcptguard.core.InvalidConfigurationException;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.RcptPolicy;
import org.rcptguard.core.RecipientDirectory;
import org.rcptguard.core.ScanDetector;
import org.rcptguard.core.memory.MemoryClientNetworkStore;
import org.rcptguard.core.memory.MemoryTripletStore;
import org.rcptguard.core.memory.MemoryUnknownRecipientStore;
import org.rcptguard.core.store.ClientNetworkStore;
import org.rcptguard.core.store.TripletStore;
import org.rcptguard.core.store.UnknownRecipientStore;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

/**
 * Wires RcptGuard into James: {@code guice.extension.module=org.rcptguard.james.RcptGuardModule} in
 * {@code extensions.properties}. Reads {@code conf/rcptguard.properties} once; everything here is a singleton shared
 * by the hooks of every {@code <smtpserver>}.
 */
public class RcptGuardModule extends AbstractModule {
    /** Counting unknown recipients beyond threshold + this changes nothing: the penalty has long reached its cap. */
    private static final int UNKNOWN_RECIPIENTS_BEYOND_THRESHOLD = 64;

    @Override
    protected void configure() {
        bind(RecipientDirectory.class).to(JamesRecipientDirectory.class);
        bind(DataStageRegistration.class).in(Singleton.class);
        bind(DecisionLog.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    RcptGuardConfiguration configuration(PropertiesProvider propertiesProvider) throws ConfigurationException {
        try {
            return RcptGuardConfiguration.fromProperties(asProperties(propertiesProvider.getConfiguration("rcptguard")));
        } catch (FileNotFoundException e) {
            return RcptGuardConfiguration.defaults();
        }
    }

    private static Properties asProperties(Configuration configuration) {
        Properties properties = new Properties();
        // James's reader splits values at commas; the lists of rcptguard.properties are parsed by RcptGuard itself.
        configuration.getKeys().forEachRemaining(key ->
            properties.setProperty(key, String.join(",", configuration.getStringArray(key))));
        return properties;
    }

    @Provides
    @Singleton
    TripletStore tripletStore(RcptGuardConfiguration configuration, Clock clock) {
        requireMemoryStore(configuration);
        return new MemoryTripletStore(clock, configuration.memoryMaxEntries());
    }

    @Provides
    @Singleton
    ClientNetworkStore clientNetworkStore(RcptGuardConfiguration configuration, Clock clock) {
        requireMemoryStore(configuration);
        return new MemoryClientNetworkStore(clock, configuration.memoryMaxEntries(), configuration.autoWhitelistPasses());
    }

    @Provides
    @Singleton
    UnknownRecipientStore unknownRecipientStore(RcptGuardConfiguration configuration, Clock clock) {
        requireMemoryStore(configuration);
        return new MemoryUnknownRecipientStore(clock, configuration.memoryMaxEntries(),
            configuration.scanThreshold() + UNKNOWN_RECIPIENTS_BEYOND_THRESHOLD);
    }

    private static void requireMemoryStore(RcptGuardConfiguration configuration) {
        if (!configuration.store().equals("memory")) {
            throw new InvalidConfigurationException(RcptGuardConfiguration.STORE, configuration.store(),
                "this RcptGuard build has only the memory store");
        }
    }

    @Provides
    @Singleton
    RcptPolicy policy(RecipientDirectory directory, TripletStore triplets, ClientNetworkStore clientNetworks,
                      UnknownRecipientStore unknownRecipients, RcptGuardConfiguration configuration, Clock clock) {
        return new RcptPolicy(directory, clientNetworks,
            new Greylist(triplets, clientNetworks, clock, configuration),
            new ScanDetector(unknownRecipients, clientNetworks, clock, configuration),
            configuration, clock);
    }
}
