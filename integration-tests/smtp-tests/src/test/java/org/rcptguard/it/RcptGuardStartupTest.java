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

        assertThat(failed.log()).contains("Invalid RcptGuard setting greylist.delay=soon");
    }
}
