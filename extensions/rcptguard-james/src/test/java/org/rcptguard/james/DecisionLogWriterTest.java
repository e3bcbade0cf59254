package org.rcptguard.james;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class DecisionLogWriterTest {
    private static final Duration NEVER = Duration.ofHours(1);

    private final List<String> written = new CopyOnWriteArrayList<>();

    @Test
    void queuedLinesAreWrittenByItsThreadInOrder() throws Exception {
        try (DecisionLogWriter writer = new DecisionLogWriter(written::add, Duration.ofMillis(20), 1000)) {
            writer.write("one");
            writer.write("two");
            writer.write("three");

            await().atMost(Duration.ofSeconds(5)).until(() -> written.size() == 3);
            assertThat(written).containsExactly("one", "two", "three");
        }
    }

    @Test
    void pastTheBoundTheCallerWritesEveryQueuedLineInOrder() throws Exception {
        try (DecisionLogWriter writer = new DecisionLogWriter(written::add, NEVER, 3)) {
            writer.write("1");
            writer.write("2");
            writer.write("3");
            assertThat(written).isEmpty();

            writer.write("4");
            assertThat(written).containsExactly("1", "2", "3", "4");
        }
    }

    @Test
    void closingWritesWhatIsQueuedAndLaterLinesAreWrittenByTheirCaller() throws Exception {
        DecisionLogWriter writer = new DecisionLogWriter(written::add, NEVER, 1000);
        writer.write("before");
        writer.close();
        assertThat(written).containsExactly("before");

        writer.write("after");
        assertThat(written).containsExactly("before", "after");
    }

    @Test
    void aLineTheLoggerFailsToWriteDoesNotStopTheNextOnes() throws Exception {
        try (DecisionLogWriter writer = new DecisionLogWriter(line -> {
            if (line.equals("bad")) {
                throw new IllegalStateException("appender failed");
            }
            written.add(line);
        }, Duration.ofMillis(20), 1000)) {
            writer.write("bad");
            writer.write("good");
            await().atMost(Duration.ofSeconds(5)).until(() -> written.contains("good"));

            writer.write("next");
            await().atMost(Duration.ofSeconds(5)).until(() -> written.contains("next"));
        }
    }

    @Test
    void linesFromManyThreadsAreAllWritten() throws Exception {
        try (DecisionLogWriter writer = new DecisionLogWriter(written::add, Duration.ofMillis(5), 100)) {
            List<Thread> threads = IntStream.range(0, 4)
                .mapToObj(t -> new Thread(() -> IntStream.range(0, 500).forEach(i -> writer.write(t + "-" + i))))
                .collect(Collectors.toList());
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> written.size() == 2000);
            // each thread's lines in the order it wrote them
            for (int t = 0; t < 4; t++) {
                String prefix = t + "-";
                assertThat(written.stream().filter(line -> line.startsWith(prefix)).collect(Collectors.toList()))
                    .containsExactlyElementsOf(IntStream.range(0, 500).mapToObj(i -> prefix + i).collect(Collectors.toList()));
            }
        }
    }
}
