package org.rcptguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sending Postfix's failure paths (its deliveries are proven against a real James in the SMTP tests): a Postfix
 * that does not start, a relay that does not answer, a source address that cannot be bound. Each leaves no process
 * and no directory behind.
 */
class PostfixSenderTest {
    private static final Path TMP = Path.of("/tmp");

    @BeforeEach
    void needsPostfix() {
        assumeTrue(PostfixSender.installed(), "needs root and /usr/sbin/postfix");
    }

    @Test
    void aPostfixThatDoesNotStartFailsSayingWhyAndLeavesNothingBehind() throws Exception {
        List<Path> before = instanceDirectories();

        assertThatThrownBy(() -> PostfixSender.start("127.0.0.1", 2525, "127.0.144.10", "mail_owner = rcptguard-nobody"))
            .isInstanceOf(LaunchFailure.class)
            .hasMessageContaining("postfix -c ")
            .hasMessageContaining("rcptguard-nobody");
        assertThat(instanceDirectories()).isEqualTo(before);
    }

    @Test
    void aMessageToARelayThatDoesNotAnswerStaysQueuedAndClosingRemovesIt() throws Exception {
        List<Path> before = instanceDirectories();
        try (PostfixSender postfix = PostfixSender.start("127.0.0.1", closedPort(), "127.0.144.10")) {
            postfix.submit("someone@pool.example", "bob@example.com", "Subject: nowhere\n\nHello.\n");

            awaitLog(postfix, "status=deferred (connect to 127.0.0.1[127.0.0.1]");
            assertThat(postfix.queueEmpty()).isFalse();
        }
        assertThat(instanceDirectories()).isEqualTo(before);
    }

    /** {@code smtp_bind_address_enforce}: a message never leaves from another address than the one set. */
    @Test
    void aSourceAddressThatCannotBeBoundDefersTheMessage() throws Exception {
        try (ServerSocket relay = new ServerSocket()) {
            relay.bind(new InetSocketAddress("127.0.0.1", 0));
            try (PostfixSender postfix = PostfixSender.start("127.0.0.1", relay.getLocalPort(), "192.0.2.1")) {
                postfix.submit("someone@pool.example", "bob@example.com", "Subject: unbound\n\nHello.\n");

                awaitLog(postfix, "status=deferred");
                assertThat(postfix.log()).contains("192.0.2.1");
                assertThat(postfix.queueEmpty()).isFalse();
            }
        }
    }

    private static void awaitLog(PostfixSender postfix, String text) {
        Awaitility.await(text).atMost(Duration.ofSeconds(30)).until(() -> postfix.log().contains(text));
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    private static List<Path> instanceDirectories() throws Exception {
        try (Stream<Path> each = Files.list(TMP)) {
            return each.filter(path -> path.getFileName().toString().startsWith("rcptguard-postfix-sender"))
                .sorted().collect(Collectors.toList());
        }
    }
}
