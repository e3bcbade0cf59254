package org.rcptguard.bench.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class CompilerThreadsTest {
    @Test
    void ticksAreUserPlusSystemTimeCountedAfterTheCommandName() {
        // a thread name with a space and a parenthesis, as the kernel writes it: utime 250, stime 30
        String stat = "4242 (C2 CompilerThre) S 4200 4200 4200 0 -1 1077936192 12 0 0 0 250 30 0 0 20 0 42 0 900";
        assertThat(CompilerThreads.ticks(stat)).isEqualTo(280);
        assertThat(CompilerThreads.ticks("7 (a (b) c) R 1 1 1 0 -1 0 0 0 0 0 3 4 0 0 20 0")).isEqualTo(7);
    }

    @Test
    void readsThisJvmsCompilerThreadsAndNothingForAProcessThatIsGone() {
        // this test's own JVM compiles (JUnit, AssertJ): its compiler threads have used some CPU by now
        assertThat(CompilerThreads.cpuSeconds(List.of(ProcessHandle.current().pid())).getAsDouble()).isPositive();
        assertThat(CompilerThreads.cpuSeconds(List.of(Long.MAX_VALUE))).isEmpty();
    }
}
