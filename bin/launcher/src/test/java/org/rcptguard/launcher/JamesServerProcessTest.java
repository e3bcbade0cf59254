package org.rcptguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class JamesServerProcessTest {
    @Test
    void aTestsJamesRunsWithoutSpfUnlessItsSettingsNameAnIdentityKey() {
        assertThat(JamesServerProcess.withTestIdentity(Map.of()))
            .containsExactlyEntriesOf(Map.of("identity.spf", "false"));
        assertThat(JamesServerProcess.withTestIdentity(Map.of("greylist.delay", "2s")))
            .containsOnly(Map.entry("identity.spf", "false"), Map.entry("greylist.delay", "2s"));
        assertThat(JamesServerProcess.withTestIdentity(Map.of("identity.spf", "true")))
            .containsOnly(Map.entry("identity.spf", "true"));
        assertThat(JamesServerProcess.withTestIdentity(Map.of("identity.fcrdns", "true")))
            .containsOnly(Map.entry("identity.fcrdns", "true"));
    }
}
