package org.rcptguard.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.PolicyFixture;

class RcptGuardHooksTest {
    private static final String CLIENT = "192.0.2.10";
    private static final MaybeSender SENDER = MaybeSender.getMailSender("someone@sender.example");

    private static HookResult rcpt(RcptGuardRcptHook hook, FakeSession session, String recipient) throws Exception {
        return hook.doRcpt(session, SENDER, new MailAddress(recipient), Map.of());
    }

    private static String reply(HookResult result) {
        return result.getSmtpRetCode() + " " + result.getSmtpDescription();
    }

    @Test
    void theDeferralIsByteIdenticalForValidAndUnknownRecipients() throws Exception {
        PolicyFixture fixture = new PolicyFixture();
        RcptGuardRcptHook hook = TestHooks.rcptHook(fixture, new DataStageRegistration());

        String valid = reply(rcpt(hook, new FakeSession(CLIENT), "alice@example.com"));
        String unknown = reply(rcpt(hook, new FakeSession(CLIENT), "nobody@example.com"));

        assertThat(valid).isEqualTo(unknown).isEqualTo("451 4.7.1 Please try again later");
    }

    @Test
    void aPassedUnknownUserGets550AndAValidOneIsLeftToJames() throws Exception {
        PolicyFixture fixture = new PolicyFixture();
        RcptGuardRcptHook hook = TestHooks.rcptHook(fixture, new DataStageRegistration());
        rcpt(hook, new FakeSession(CLIENT), "alice@example.com");
        rcpt(hook, new FakeSession(CLIENT), "nobody@example.com");
        fixture.clock.advance(Duration.ofMinutes(5));

        assertThat(rcpt(hook, new FakeSession(CLIENT), "alice@example.com")).isEqualTo(HookResult.DECLINED);
        assertThat(reply(rcpt(hook, new FakeSession(CLIENT), "nobody@example.com"))).isEqualTo("550 5.1.1 Unknown user");
    }

    @Test
    void aBugInThePolicyIsATemporaryFailure() throws Exception {
        PolicyFixture fixture = new PolicyFixture();
        RcptGuardRcptHook hook = TestHooks.rcptHook(fixture, new DataStageRegistration());
        FakeSession session = new FakeSession(CLIENT) {
            @Override
            public java.net.InetSocketAddress getRemoteAddress() {
                throw new IllegalStateException("bug");
            }
        };

        HookResult result = rcpt(hook, session, "alice@example.com");

        assertThat(result.getResult()).isEqualTo(HookReturnCode.denySoft());
        assertThat(reply(result)).startsWith("451 4.3.0");
    }

    @Test
    void authenticatedSessionsAreLeftToJames() throws Exception {
        PolicyFixture fixture = new PolicyFixture();
        RcptGuardRcptHook hook = TestHooks.rcptHook(fixture, new DataStageRegistration());
        FakeSession session = new FakeSession(CLIENT);
        session.setUsername(Username.of("alice@example.com"));

        assertThat(rcpt(hook, session, "nobody@example.com")).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void dataModeRejectsAnAllUnknownTransactionAfterTheBody() throws Exception {
        PolicyFixture fixture = new PolicyFixture("reject.mode", "data");
        DataStageRegistration dataStage = new DataStageRegistration();
        RcptGuardRcptHook hook = TestHooks.rcptHook(fixture, dataStage);
        RcptGuardDataHook dataHook = TestHooks.dataHook(fixture, dataStage);
        rcpt(hook, new FakeSession(CLIENT), "nobody@example.com");
        fixture.clock.advance(Duration.ofMinutes(5));
        FakeSession session = new FakeSession(CLIENT);

        assertThat(rcpt(hook, session, "nobody@example.com")).isEqualTo(HookResult.OK);
        HookResult afterData = dataHook.onMessage(session, null);

        assertThat(afterData.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(reply(afterData)).isEqualTo("550 5.1.1 Unknown user");
    }

    @Test
    void dataModeWithoutTheDataHookDefersInsteadOfAccepting() throws Exception {
        PolicyFixture fixture = new PolicyFixture("reject.mode", "data");
        RcptGuardRcptHook hook = TestHooks.rcptHook(fixture, new DataStageRegistration());
        rcpt(hook, new FakeSession(CLIENT), "nobody@example.com");
        fixture.clock.advance(Duration.ofMinutes(5));

        HookResult result = rcpt(hook, new FakeSession(CLIENT), "nobody@example.com");

        assertThat(result.getResult()).isEqualTo(HookReturnCode.denySoft());
    }

    @Test
    void theDataHookLetsAValidTransactionThrough() throws Exception {
        PolicyFixture fixture = new PolicyFixture("reject.mode", "data");
        DataStageRegistration dataStage = new DataStageRegistration();
        RcptGuardRcptHook hook = TestHooks.rcptHook(fixture, dataStage);
        rcpt(hook, new FakeSession(CLIENT), "alice@example.com");
        fixture.clock.advance(Duration.ofMinutes(5));
        FakeSession session = new FakeSession(CLIENT);
        rcpt(hook, session, "alice@example.com");

        assertThat(TestHooks.dataHook(fixture, dataStage).onMessage(session, null)).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void theTransactionStateIsKeptInTheSession() throws Exception {
        PolicyFixture fixture = new PolicyFixture();
        RcptGuardRcptHook hook = TestHooks.rcptHook(fixture, new DataStageRegistration());
        rcpt(hook, new FakeSession(CLIENT), "alice@example.com");
        rcpt(hook, new FakeSession(CLIENT), "nobody@example.com");
        fixture.clock.advance(Duration.ofMinutes(5));
        FakeSession session = new FakeSession(CLIENT);

        assertThat(rcpt(hook, session, "alice@example.com")).isEqualTo(HookResult.DECLINED);
        assertThat(rcpt(hook, session, "nobody@example.com").getResult()).isEqualTo(HookReturnCode.denySoft());
        session.endTransaction();
        assertThat(rcpt(hook, session, "nobody@example.com").getResult()).isEqualTo(HookReturnCode.deny());
    }

    @Test
    void passedRoleAccountsAreAcceptedOutright() throws Exception {
        PolicyFixture fixture = new PolicyFixture();
        RcptGuardRcptHook hook = TestHooks.rcptHook(fixture, new DataStageRegistration());
        rcpt(hook, new FakeSession(CLIENT), "abuse@example.com");
        fixture.clock.advance(Duration.ofMinutes(5));

        assertThat(rcpt(hook, new FakeSession(CLIENT), "abuse@example.com")).isEqualTo(HookResult.OK);
        assertThat(rcpt(hook, new FakeSession(CLIENT), "abuse@elsewhere.example")).isEqualTo(HookResult.DECLINED);
    }

    private interface Call {
        HookResult run() throws Exception;
    }

    private static long millis(Call call) throws Exception {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
