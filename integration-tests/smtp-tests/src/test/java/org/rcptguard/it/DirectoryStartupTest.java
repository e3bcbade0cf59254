package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.rcptguard.launcher.JamesServerProcess;

/** James refuses to start on an unusable directory setting, and says which. */
class DirectoryStartupTest {
    @Test
    void anUnknownSourceStopsJamesWithAMessageNamingTheKeyAndTheValue() {
        JamesServerProcess.FailedStart failed = JamesServerProcess.startExpectingFailure(JamesServerProcess.projectConfDir(),
            Map.of("directory.domains", "example.net", "directory.example.net.sources", "list,nis",
                "directory.example.net.list", "conf/recipients-example.net.txt"));

        assertThat(failed.log()).contains("Invalid RcptGuard setting directory.example.net.sources=list,nis: unknown source nis");
    }
}
