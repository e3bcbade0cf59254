package org.rcptguard.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.annotation.PreDestroy;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.onami.lifecycle.Stager;
import org.apache.james.protocols.smtp.hook.HookResult;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.CassandraStores;
import org.rcptguard.cassandra.NearCachedStores;
import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.core.Decision;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.RcptPolicy;
import org.rcptguard.core.WhitelistEntry;
import org.rcptguard.core.memory.MemoryStores;
import org.rcptguard.core.store.RcptGuardStores;

import com.datastax.oss.driver.api.core.CqlSession;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.ProvisionException;
import com.google.inject.TypeLiteral;

/** {@link RcptGuardModule} in a Guice injector holding what James binds. */
class RcptGuardModuleTest {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();


    private static Injector extensionInjector(Map<String, String> rcptguardProperties, CqlSession cqlSession) {
        // James builds extension modules in a child injector of its own.
        return Guice.createInjector(JamesBindings.of(rcptguardProperties, cqlSession)).createChildInjector(new RcptGuardModule());
    }

    @Test
    void aMissingSettingsFileMeansTheDefaultsOnTheMemoryStore() {
        Injector injector = extensionInjector(null, null);

        assertThat(injector.getInstance(RcptGuardConfiguration.class).delay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(injector.getInstance(RcptGuardStores.class)).isInstanceOf(MemoryStores.class);
        assertThat(injector.getInstance(RcptPolicy.class)).isSameAs(injector.getInstance(RcptPolicy.class));
    }

    @Test
    void hooksRoutesAndHealthCheckShareOnePolicyStoreAndWhitelist() throws Exception {
        Injector injector = extensionInjector(Map.of("whitelist.refresh", "1h"), null);
        // James instantiates hooks, routes and health checks through this injector (GuiceGenericLoader)
        RcptGuardRcptHook hook = injector.getInstance(RcptGuardRcptHook.class);
        org.rcptguard.james.webadmin.WhitelistRoutes routes = injector.getInstance(org.rcptguard.james.webadmin.WhitelistRoutes.class);
        RcptGuardHealthCheck healthCheck = injector.getInstance(RcptGuardHealthCheck.class);

        assertThat(routes.getBasePath()).isEqualTo("/rcptguard/whitelist");
        assertThat(healthCheck.componentName().getName()).isEqualTo("RcptGuard");
        assertThat(injector.getInstance(RcptGuardStores.class)).isSameAs(injector.getInstance(RcptGuardStores.class));
        assertThat(injector.getInstance(DecisionCounters.class)).isSameAs(injector.getInstance(DecisionCounters.class));

        // an entry added as the route adds it applies to the hook and to the policy, without waiting for a refresh
        assertThat(rcptFrom(hook, "198.51.100.9").getSmtpRetCode()).isEqualTo("451");
        injector.getInstance(org.rcptguard.core.SharedWhitelist.class).add(org.rcptguard.core.WhitelistEntry.client("198.51.100.0/24"));
        assertThat(rcptFrom(hook, "198.51.100.9")).isEqualTo(HookResult.DECLINED);
        Decision decision = injector.getInstance(RcptPolicy.class).decide(new org.rcptguard.core.RcptRequest(
            InetAddress.getByName("198.51.100.9"), false, false, org.rcptguard.core.Mail.sender("a@b.example"), org.rcptguard.core.Mail.address("nobody@example.com")),
            org.rcptguard.core.TransactionState.EMPTY);
        assertThat(decision.reason()).isEqualTo(Decision.Reason.WHITELISTED_CLIENT);
    }

    private static HookResult rcptFrom(RcptGuardRcptHook hook, String client) throws Exception {
        return hook.doRcpt(new FakeSession(client), MaybeSender.getMailSender("someone@sender.example"),
            new MailAddress("nobody@example.com"), Map.of());
    }

    @Test
    void theNodeIsNamedBySettingOrByHost() throws Exception {
        assertThat(extensionInjector(Map.of("node.name", "mx-7"), null).getInstance(RcptGuardNode.class).name()).isEqualTo("mx-7");
        // the host name as Java gives it, not as RcptGuardNode computes it
        assertThat(extensionInjector(null, null).getInstance(RcptGuardNode.class).name())
            .isEqualTo(InetAddress.getLocalHost().getHostName());
    }

    @Test
    void stoppingJamesStopsRcptGuardThreadsAndPools() throws Exception {
        Injector injector = extensionInjector(Map.of("whitelist.refresh", "100ms"), null);
        injector.getInstance(RcptPolicy.class);
        assertThat(rcptGuardThreads()).contains("rcptguard-whitelist-refresh");

        // what GuiceJamesServer.stop() does from James's shutdown hook
        injector.getInstance(Key.get(new TypeLiteral<Stager<PreDestroy>>() { })).stage();

        assertThat(rcptGuardThreads()).isEmpty();
    }

    private static List<String> rcptGuardThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
            .filter(name -> name.startsWith("rcptguard-")).collect(Collectors.toList());
    }

    @Test
    void listsWrittenWithCommasReachRcptGuardWhole() throws Exception {
        Injector injector = extensionInjector(Map.of("whitelist.clients", "192.0.2.0/24,198.51.100.0/24"), null);

        // The second entry proves James's comma splitting did not cut the list.
        assertThat(injector.getInstance(RcptGuardConfiguration.class).whitelist()
            .match(InetAddress.getByName("198.51.100.7"), org.rcptguard.core.Mail.sender("a@b.example"), org.rcptguard.core.Mail.address("c@example.com")))
            .contains(Decision.Reason.WHITELISTED_CLIENT);
    }

    @Test
    void anInvalidValueFailsWithTheKeyAndTheValue() {
        assertThatThrownBy(() -> extensionInjector(Map.of("mixed.mode", "whatever"), null).getInstance(RcptPolicy.class))
            .isInstanceOfAny(ProvisionException.class, CreationException.class)
            .hasMessageContaining("mixed.mode=whatever");
    }

    @Test
    void jamesSessionIsRefusedWhereJamesBindsNone() {
        assertThatThrownBy(() -> extensionInjector(Map.of("store", "cassandra", "cassandra.session", "james"), null)
            .getInstance(RcptGuardStores.class))
            .hasMessageContaining("cassandra.session=james");
    }

    @Test
    void theCassandraStoreRunsOnJamesOwnSessionWhereOneIsBound() {
        // The contact points name no server: only James's session can be in use.
        try (CqlSession jamesSession = CASSANDRA.newSession()) {
            Injector injector = extensionInjector(Map.of("store", "cassandra", "cassandra.session", "james",
                "cassandra.keyspace", CASSANDRA.keyspace(),
                "cassandra.contact.points", "192.0.2.1:1"), jamesSession);

            RcptGuardStores stores = injector.getInstance(RcptGuardStores.class);

            // The RCPT path's stores are the node's near caches over the Cassandra stores on James's session: what
            // they write, those read.
            assertThat(stores).isInstanceOf(NearCachedStores.class);
            CassandraStores cassandra = injector.getInstance(CassandraStores.class);
            assertThat(cassandra.session()).isSameAs(jamesSession);
            WhitelistEntry entry = WhitelistEntry.sender("module-test.example");
            stores.whitelistStore().add(entry);
            assertThat(cassandra.whitelistStore().list()).contains(entry);
            stores.whitelistStore().remove(entry);
            injector.getInstance(Key.get(new TypeLiteral<Stager<PreDestroy>>() { })).stage();
            assertThat(jamesSession.isClosed()).isFalse();
        }
    }

    @Test
    void theCassandraStoreOpensItsOwnSessionByDefault() {
        InetSocketAddress contactPoint = CASSANDRA.node().contactPoint();
        Injector injector = extensionInjector(Map.of("store", "cassandra",
            "cassandra.keyspace", CASSANDRA.keyspace() + "_own",
            "cassandra.local.datacenter", CASSANDRA.localDatacenter(),
            "cassandra.contact.points", contactPoint.getHostString() + ":" + contactPoint.getPort()), null);

        RcptGuardStores stores = injector.getInstance(RcptGuardStores.class);
        assertThat(stores.clientNetworkStore().load(org.rcptguard.core.ClientNetwork.parse("192.0.2.0/24")).passedTriplets())
            .isZero();
        CqlSession own = injector.getInstance(CassandraStores.class).session();
        assertThat(own.isClosed()).isFalse();

        injector.getInstance(Key.get(new TypeLiteral<Stager<PreDestroy>>() { })).stage();

        // RcptGuard's own session is closed with James; James's own session is left to James
        assertThat(own.isClosed()).isTrue();
    }
}
