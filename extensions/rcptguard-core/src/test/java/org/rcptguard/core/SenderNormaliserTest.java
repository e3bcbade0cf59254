package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.core.MaybeSender;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SenderNormaliserTest {
    @ParameterizedTest
    @CsvSource({
        "Alice@Example.COM, alice@example.com",
        "alice+newsletter@example.com, alice@example.com",
        "prvs=4168d4ef3a=alice@example.com, alice@example.com",
        "PRVS=0123456789=Bob+x@Example.com, bob@example.com",
        "SRS0=HHH=TT=orig.example=alice@forwarder.example, alice@orig.example",
        "SRS1=HHH=forwarder1.example==HHH=TT=orig.example=alice@forwarder2.example, alice@orig.example",
        "bounce-12345-678@lists.example.org, bounce-#-#@lists.example.org",
        "list-bounces-3@lists.example.org, list-bounces-#@lists.example.org",
        "user2020@example.com, user2020@example.com",
        "12345@example.com, #@example.com",
        "x.7.y@example.com, x.#.y@example.com",
        "a_1-2b-3@example.com, a_1-2b-#@example.com",
        "7x-y8@example.com, 7x-y8@example.com"
    })
    void keepsWhatStaysTheSameAcrossRetries(String sender, String expected) {
        assertThat(SenderNormaliser.key(SenderNormaliser.normalise(Mail.sender(sender)))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice@example.com", "first.last@Example.COM", "o'brien-x_y@example.org", "s0@awl3.example",
        "user2020@example.com", "a_1@example.com", "7x-y8@example.com"})
    void leavesASenderWithNothingToRewriteAsItIs(String sender) {
        MaybeSender plain = Mail.sender(sender);
        assertThat(SenderNormaliser.normalise(plain)).isSameAs(plain);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"<>", "  "})
    void theNullSenderHasOneKey(String sender) {
        assertThat(SenderNormaliser.key(SenderNormaliser.normalise(Mail.sender(sender)))).isEqualTo(SenderNormaliser.NULL_SENDER);
    }
}
