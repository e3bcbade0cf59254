package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.rcptguard.launcher.JamesServerProcess;

/** James refuses to start on an unusable RcptGuard setting, and says which. */
class RcptGuardStartupTest {
    @Test
    void anInvalidValueStopsJamesWithAMessageNamingTheKeyAndTheValue() {
        JamesServerProcess.FailedStart failed = JamesServerProcess.startExpectingFailure(JamesServerProcess.projectConfDir(),
            Map.of("greylist.delay", "soon"));

        assertThat(failed.log())
            .contains("Invalid RcptGuard setting greylist.delay=soon: expected a duration such as 30s, 5m, 2h or 36d");
    }

    @Test
    void anUnknownKeyStopsJamesNamingIt() {
        JamesServerProcess.FailedStart failed = JamesServerProcess.startExpectingFailure(JamesServerProcess.projectConfDir(),
            Map.of("greylist.dealy", "5m"));

        assertThat(failed.log()).contains("Invalid RcptGuard setting greylist.dealy=5m: unknown setting (known: ");
    }

    @Test
    void anInvalidStoreValueStopsJamesNamingTheKeyAndTheValue() {
        // no Cassandra is needed: the setting is refused before any connection
        JamesServerProcess.FailedStart failed = JamesServerProcess.startExpectingFailure(JamesServerProcess.projectConfDir(),
            Map.of("store", "cassandra", "cassandra.timeout", "10m"));

        assertThat(failed.log()).contains("Invalid RcptGuard setting cassandra.timeout=10m: must be at most 5m");
    }
}
