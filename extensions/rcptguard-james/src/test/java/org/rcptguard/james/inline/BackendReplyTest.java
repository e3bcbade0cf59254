package org.rcptguard.james.inline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.junit.jupiter.api.Test;

class BackendReplyTest {
    @Test
    void theEnhancedCodeIsTakenOnlyWhenItIsOfTheReplysClass() {
        assertThat(new BackendReply(550, List.of("5.7.1 Refused by rule")).enhancedCode()).contains("5.7.1");
        assertThat(new BackendReply(550, List.of("4.7.1 odd")).enhancedCode()).isEmpty();
        assertThat(new BackendReply(554, List.of("Transaction failed")).enhancedCode()).isEmpty();
    }

    @Test
    void theTextRepeatedToAClientIsPrintableAsciiWithoutTheCodeAndBounded() {
        BackendReply reply = new BackendReply(550, List.of("5.7.1 Refused\u0000 by\u00e9 rule\r\n250 forged", "second line"));
        assertThat(reply.sanitisedText()).isEqualTo("Refused? by? rule??250 forged");
        assertThat(new BackendReply(550, List.of("x".repeat(1000))).sanitisedText()).hasSize(200);
    }

    @Test
    void mailFromCarriesOnlyTheParametersTheBackendOffers() throws Exception {
        List<MailAddress> ascii = List.of(new MailAddress("bob@example.test"));
        MaybeSender sender = MaybeSender.of(new MailAddress("a@sender.example"));
        assertThat(InlineRelay.mailFrom(sender, ascii, 1234, Set.of("SIZE", "8BITMIME", "SMTPUTF8")))
            .isEqualTo("MAIL FROM:<a@sender.example> SIZE=1234 BODY=8BITMIME");
        assertThat(InlineRelay.mailFrom(MaybeSender.nullSender(), ascii, 1234, Set.of()))
            .isEqualTo("MAIL FROM:<>");
    }

    @Test
    void theExtensionsAreTheEhloKeywords() {
        BackendReply ehlo = new BackendReply(250, List.of("backend.test", "PIPELINING", "SIZE 10240000", "8BITMIME", "smtputf8"));
        assertThat(InlineRelay.extensions(ehlo)).containsExactlyInAnyOrder("PIPELINING", "SIZE", "8BITMIME", "SMTPUTF8");
    }
}
