package org.rcptguard.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rcptguard.core.Decision;
import org.rcptguard.core.PolicyFixture;
import org.rcptguard.core.identity.BoundedIdentityResolver;
import org.rcptguard.core.identity.ClientIdentity;
import org.rcptguard.core.identity.HangingNames;
import org.rcptguard.core.identity.IdentityResolver;
import org.rcptguard.core.identity.IdentityRules;
import org.rcptguard.core.identity.IdentitySettings;
import org.rcptguard.core.identity.Pending;
import org.rcptguard.core.identity.SpfResult;
import org.rcptguard.core.identity.VerifiedNameResolver;

/**
 * postgrey's client name entries through the hooks: the client's verified name is looked up at MAIL FROM only when
 * the files have name entries and the client may be greylisted, once per connection, and awaited at the first RCPT
 * within the bound; without a name in time the client is greylisted as usual.
 */
class VerifiedClientNameTest {
    private static final MaybeSender SENDER = MaybeSender.getMailSender("someone@sender.example");
    private static final IdentityResolver NO_IDENTITY = query -> Pending.known(ClientIdentity.parse("net:192.0.2.0/24"));

    @TempDir
    Path dir;

    private final List<InetAddress> lookUps = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseHangingLookUps() {
        release.countDown();
    }

    /** Names as DNS would confirm them: 192.0.2.10 is mx7.gmail.com, 192.0.2.11 mail12.example.net; counts look-ups. */
    private final VerifiedNameResolver names = client -> {
        lookUps.add(client);
        return Pending.known(Optional.ofNullable(Map.of(
            "192.0.2.10", "mx7.gmail.com",
            "192.0.2.11", "mail12.example.net").get(client.getHostAddress())));
    };

    private PolicyFixture fixture(String clientsFile) throws Exception {
        Path clients = Files.writeString(dir.resolve("whitelist_clients"), clientsFile);
        return new PolicyFixture("whitelist.postgrey.clients", clients.toString());
    }

    private static HookResult rcpt(RcptGuardRcptHook hook, FakeSession session, String recipient) throws Exception {
        return hook.doRcpt(session, SENDER, new MailAddress(recipient), Map.of());
    }

    @Test
    void aClientWhoseVerifiedNameIsListedByDomainOrRegexIsNotGreylisted() throws Exception {
        TestHooks hooks = new TestHooks(fixture("gmail.com\n/^mail\\d+\\.example\\.net$/\n"));
        RcptGuardRcptHook hook = hooks.rcptHook(new DataStageRegistration(), names);

        assertThat(rcpt(hook, new FakeSession("192.0.2.10"), "alice@example.com")).isEqualTo(HookResult.DECLINED);
        assertThat(rcpt(hook, new FakeSession("192.0.2.11"), "alice@example.com")).isEqualTo(HookResult.DECLINED);
        assertThat(rcpt(hook, new FakeSession("192.0.2.12"), "alice@example.com").getResult())
            .as("no verified name").isEqualTo(HookReturnCode.denySoft());

        assertThat(hooks.counters.snapshot().byReason().get(Decision.Reason.WHITELISTED_CLIENT)).isEqualTo(2);
    }

    @Test
    void theNameIsLookedUpOnceAConnectionFromMailFromHoweverManyTransactions() throws Exception {
        PolicyFixture fixture = fixture("gmail.com\n");
        RcptGuardMailHook mailHook = new RcptGuardMailHook(NO_IDENTITY, names, fixture.configuration);
        RcptGuardRcptHook hook = new TestHooks(fixture).rcptHook(new DataStageRegistration(), names);
        FakeSession session = new FakeSession("192.0.2.10");

        for (int transaction = 0; transaction < 3; transaction++) {
            mailHook.doMail(session, SENDER);
            assertThat(lookUps).as("started at the first MAIL FROM").hasSize(1);
            for (int i = 0; i < 3; i++) {
                assertThat(rcpt(hook, session, "alice@example.com")).isEqualTo(HookResult.DECLINED);
            }
            session.endTransaction();
        }

        assertThat(lookUps).hasSize(1);
    }

    @Test
    void withoutNameEntriesNoNameIsLookedUp() throws Exception {
        PolicyFixture fixture = fixture("192.0.2.0/24\n");
        RcptGuardRcptHook hook = new TestHooks(fixture).rcptHook(new DataStageRegistration(), names);
        FakeSession session = new FakeSession("198.51.100.7");

        new RcptGuardMailHook(NO_IDENTITY, names, fixture.configuration).doMail(session, SENDER);
        rcpt(hook, session, "alice@example.com");

        assertThat(lookUps).isEmpty();
    }

    @Test
    void aTrustedClientsNameIsNotLookedUp() throws Exception {
        PolicyFixture fixture = fixture("gmail.com\n");
        RcptGuardRcptHook hook = new TestHooks(fixture).rcptHook(new DataStageRegistration(), names);
        FakeSession session = new FakeSession("192.0.2.10");
        session.setUsername(Username.of("user@example.com"));

        new RcptGuardMailHook(NO_IDENTITY, names, fixture.configuration).doMail(session, SENDER);
        rcpt(hook, session, "alice@example.com");

        assertThat(lookUps).isEmpty();
    }

    /** DNS that does not answer: the RCPT waits what is left of the bound, then the client is greylisted as usual. */
    @Test
    void aNameThatDoesNotComeWithinTheBoundIsNoNameNeverAnAcceptance() throws Exception {
        PolicyFixture fixture = fixture("gmail.com\n");
        IdentitySettings settings = new IdentitySettings(false, false, Duration.ofMillis(300), 8);
        try (BoundedIdentityResolver resolver = new BoundedIdentityResolver(
            new IdentityRules(query -> SpfResult.NONE, new HangingNames(release, "mx7.gmail.com"), settings, 24, 64), settings)) {
            RcptGuardRcptHook hook = new TestHooks(fixture).rcptHook(new DataStageRegistration(), resolver);
            FakeSession session = new FakeSession("192.0.2.10");
            new RcptGuardMailHook(resolver, resolver, fixture.configuration).doMail(session, SENDER);

            long start = System.nanoTime();
            HookResult first = rcpt(hook, session, "alice@example.com");
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            release.countDown();
            Thread.sleep(100);
            HookResult second = rcpt(hook, session, "alice@example.com");

            assertThat(first.getResult()).isEqualTo(HookReturnCode.denySoft());
            assertThat(first.getSmtpRetCode()).isEqualTo("451");
            assertThat(waited).isLessThan(Duration.ofSeconds(2));
            assertThat(second.getResult()).as("settled for the connection: no name").isEqualTo(HookReturnCode.denySoft());
            assertThat(resolver.timeouts()).isEqualTo(1);
        }
    }
}
