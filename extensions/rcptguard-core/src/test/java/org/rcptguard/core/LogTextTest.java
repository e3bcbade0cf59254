package org.rcptguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
    @Test
    void ordinaryTextIsUnchanged() {
        String address = "\"j.doe\"@exämple.com";
        assertThat(LogText.escape(address)).isSameAs(address);
    }

    @Test
    void aForgedLineStaysOnTheLineItWasWrittenIn() {
        String forged = "a@b.example> class=VALID\r\n06:00:00.000 [INFO ] o.r.decisions - node=mx1 outcome=ACCEPT";

        String escaped = LogText.escape(forged);

        assertThat(escaped).doesNotContain("\r", "\n")
            .isEqualTo("a@b.example> class=VALID\\r\\n06:00:00.000 [INFO ] o.r.decisions - node=mx1 outcome=ACCEPT");
    }

    @Test
    void everyOtherControlCharacterIsAVisibleEscape() {
        assertThat(LogText.escape("a\u0000b\tc\u001bd\u007fe\u0085f\u2028g\u2029h"))
            .isEqualTo("a\\u0000b\\tc\\u001bd\\u007fe\\u0085f\\u2028g\\u2029h");
    }

    @Test
    void aBackslashIsEscapedSoThatAnEscapeCannotBeForgedEither() {
        assertThat(LogText.escape("a\\r\\nb")).isEqualTo("a\\\\r\\\\nb");
    }

    @Test
    void anyValueIsWrittenAsItsString() {
        assertThat(LogText.escape(null)).isEqualTo("null");
        assertThat(LogText.escape(new StringBuilder("x\ny"))).isEqualTo("x\\ny");
    }
}
