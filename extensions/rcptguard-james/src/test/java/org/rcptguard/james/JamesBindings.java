package org.rcptguard.james;

import java.io.FileNotFoundException;
import java.time.Clock;
import java.util.Map;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.convert.DefaultListDelimiterHandler;
import org.apache.james.core.Domain;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.dnsjava.DNSJavaService;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.rrt.api.RecipientRewriteTable;
import org.apache.james.rrt.api.RecipientRewriteTableConfiguration;
import org.apache.james.rrt.memory.MemoryRecipientRewriteTable;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.apache.james.onami.lifecycle.PreDestroyModule;
import org.apache.james.utils.PropertiesProvider;
import org.apache.james.webadmin.utils.JsonTransformer;

import com.datastax.oss.driver.api.core.CqlSession;
import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.util.Providers;

/**
 * What James's injector offers an extension, for tests that build RcptGuard's Guice module outside James: the
 * settings files, clock, metrics, James's memory users, aliases and domains (example.com), and a CqlSession where
 * a Cassandra-backed James would bind one.
 */
public final class JamesBindings {
    private JamesBindings() {
    }

    /**
     * James's DNS service asking a loopback address where no DNS server listens: a look-up (SPF is on by default) fails
     * at once, and the client is known by its network.
     */
    private static DNSService unansweredDns() {
        try {
            BaseHierarchicalConfiguration configuration = new BaseHierarchicalConfiguration();
            configuration.addProperty("autodiscover", false);
            configuration.addProperty("setAsDNSJavaDefault", false);
            configuration.addProperty("servers.server", "127.0.0.53");
            DNSJavaService service = new DNSJavaService(new RecordingMetricFactory());
            service.configure(configuration);
            service.init();
            return service;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param rcptguardProperties the content of rcptguard.properties, or null for no such file
     * @param cqlSession James's own session, or null for a James that binds none
     */
    public static Module of(Map<String, String> rcptguardProperties, CqlSession cqlSession) {
        return new AbstractModule() {
            @Override
            protected void configure() {
                try {
                    MemoryDomainList domains = new MemoryDomainList(null);
                    domains.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false)
                        .defaultDomain(Domain.of("example.com")).build());
                    MemoryUsersRepository users = MemoryUsersRepository.withVirtualHosting(domains);
                    MemoryRecipientRewriteTable rrt = new MemoryRecipientRewriteTable();
                    rrt.setDomainList(domains);
                    rrt.setUsersRepository(users);
                    rrt.setConfiguration(RecipientRewriteTableConfiguration.DEFAULT_ENABLED);
                    // Providers.of: the instances are ready, Guice must not inject their setters again.
                    bind(DomainList.class).toProvider(Providers.of(domains));
                    bind(UsersRepository.class).toProvider(Providers.of(users));
                    bind(RecipientRewriteTable.class).toProvider(Providers.of(rrt));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                bind(DNSService.class).toProvider(JamesBindings::unansweredDns);
                bind(Clock.class).toInstance(Clock.systemUTC());
                bind(MetricFactory.class).toInstance(new RecordingMetricFactory());
                bind(GaugeRegistry.class).toInstance(new NoopGaugeRegistry());
                bind(JsonTransformer.class).toInstance(new JsonTransformer());
                bind(PropertiesProvider.class).toInstance(new PropertiesProvider(null, null) {
                    @Override
                    public Configuration getConfiguration(String fileName) throws FileNotFoundException {
                        if (rcptguardProperties == null) {
                            throw new FileNotFoundException(fileName);
                        }
                        // as James's PropertiesProvider reads a file: values split at commas
                        BaseConfiguration configuration = new BaseConfiguration();
                        configuration.setListDelimiterHandler(new DefaultListDelimiterHandler(','));
                        rcptguardProperties.forEach(configuration::addProperty);
                        return configuration;
                    }
                });
                // James's @PreDestroy support, run by GuiceJamesServer.stop()
                install(new PreDestroyModule());
                if (cqlSession != null) {
                    bind(CqlSession.class).toInstance(cqlSession);
                }
            }
        };
    }
}
