package org.rcptguard.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.protocols.api.ProtocolSession;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.identity.ClientIdentity;
import org.rcptguard.core.identity.IdentityQuery;
import org.rcptguard.core.identity.IdentityResolver;
import org.rcptguard.core.identity.Pending;
import org.rcptguard.core.identity.VerifiedNameResolver;

class TransactionIdentityTest {
    private static final RcptGuardConfiguration CONFIGURATION = RcptGuardConfiguration.defaults();
    /** No postgrey name entries: no client's name is looked up. */
    private static final VerifiedNameResolver NO_NAMES = client -> {
        throw new AssertionError("looked up the name of " + client);
    };
    private final List<IdentityQuery> evaluations = new ArrayList<>();
    private final IdentityResolver resolver = query -> {
        evaluations.add(query);
        return Pending.known(query.spfDomain().map(ClientIdentity::spf).orElseThrow());
    };
    private final FakeSession session = new FakeSession("192.0.2.7");

    TransactionIdentityTest() {
        session.setAttachment(SMTPSession.CURRENT_HELO_NAME, "mta.example.net", ProtocolSession.State.Connection);
    }

    @Test
    void oneEvaluationPerTransactionHoweverManyRecipients() throws Exception {
        MaybeSender sender = MaybeSender.of(new MailAddress("bounce@example.org"));

        for (int i = 0; i < 5; i++) {
            assertThat(TransactionIdentity.of(session, sender, resolver)).isEqualTo(ClientIdentity.spf("example.org"));
        }

        assertThat(evaluations).containsExactly(IdentityQuery.of(session.getRemoteAddress().getAddress(), "mta.example.net", "bounce@example.org"));
    }

    @Test
    void theEvaluationStartedAtMailFromIsTheOneTheRecipientsUse() throws Exception {
        MaybeSender sender = MaybeSender.of(new MailAddress("bounce@example.org"));

        assertThat(new RcptGuardMailHook(resolver, NO_NAMES, CONFIGURATION).doMail(session, sender).getResult()).isEqualTo(HookReturnCode.declined());
        assertThat(evaluations).hasSize(1);
        for (int i = 0; i < 3; i++) {
            assertThat(TransactionIdentity.of(session, sender, resolver)).isEqualTo(ClientIdentity.spf("example.org"));
        }

        assertThat(evaluations).hasSize(1);
    }

    @Test
    void aTrustedClientIsNotEvaluatedAtMailFrom() throws Exception {
        session.setUsername(Username.of("user@example.com"));

        new RcptGuardMailHook(resolver, NO_NAMES, CONFIGURATION).doMail(session, MaybeSender.of(new MailAddress("bounce@example.org")));

        assertThat(evaluations).isEmpty();
    }

    @Test
    void theNextTransactionIsEvaluatedAgain() throws Exception {
        MaybeSender sender = MaybeSender.of(new MailAddress("bounce@example.org"));
        TransactionIdentity.of(session, sender, resolver);

        session.endTransaction();
        TransactionIdentity.of(session, sender, resolver);

        assertThat(evaluations).hasSize(2);
    }

    @Test
    void anotherSenderIsAnotherEvaluation() throws Exception {
        TransactionIdentity.of(session, MaybeSender.of(new MailAddress("a@example.org")), resolver);

        ClientIdentity nullSender = TransactionIdentity.of(session, MaybeSender.nullSender(), resolver);

        assertThat(nullSender).isEqualTo(ClientIdentity.spf("mta.example.net"));
        assertThat(evaluations).hasSize(2);
    }
}
