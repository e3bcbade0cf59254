package org.rcptguard.james.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.rcptguard.cassandra.CassandraStoreConfiguration;
import org.rcptguard.cassandra.CassandraStores;
import org.rcptguard.cassandra.testing.CassandraExtension;
import org.rcptguard.core.Mail;
import org.rcptguard.core.RecipientClass;
import org.rcptguard.core.RecipientDirectory;
import org.rcptguard.core.store.StoreLimits;
import org.rcptguard.james.JamesRecipientDirectory;
import org.rcptguard.core.RcptGuardConfiguration;
import org.rcptguard.core.directory.BoundedLookup;
import org.rcptguard.core.directory.DirectoryConfiguration;

import com.datastax.oss.driver.api.core.CqlSession;

/** With store=cassandra, SMTP verification answers go to Cassandra: a second node finds them without asking the backend. */
class SharedVerificationCacheTest {
    @RegisterExtension
    static final CassandraExtension CASSANDRA = new CassandraExtension();

    private ServerSocket backend;
    private final List<String> rcpts = new CopyOnWriteArrayList<>();

    /** A backend knowing alice only. */
    @BeforeEach
    void startBackend() throws Exception {
        backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            while (!backend.isClosed()) {
                try (Socket socket = backend.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream out = socket.getOutputStream();
                    out.write("220 backend\r\n".getBytes(StandardCharsets.US_ASCII));
                    String line;
                    while ((line = in.readLine()) != null) {
                        String reply = "250 OK";
                        if (line.startsWith("RCPT")) {
                            rcpts.add(line);
                            reply = line.contains("<alice@example.net>") ? "250 OK" : "550 5.1.1 No such user";
                        } else if (line.startsWith("QUIT")) {
                            out.write("221 Bye\r\n".getBytes(StandardCharsets.US_ASCII));
                            break;
                        }
                        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    }
                } catch (Exception e) {
                    // closed
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
    }

    @AfterEach
    void stopBackend() throws Exception {
        backend.close();
    }

    private RecipientDirectory node(CqlSession session) {
        Properties properties = new Properties();
        properties.setProperty("store", "cassandra");
        properties.setProperty("cassandra.keyspace", CASSANDRA.keyspace());
        properties.setProperty("cassandra.local.datacenter", CASSANDRA.localDatacenter());
        properties.setProperty("directory.domains", "example.net");
        properties.setProperty("directory.example.net.sources", "smtp");
        properties.setProperty("directory.example.net.smtp.host", "127.0.0.1:" + backend.getLocalPort());
        properties.setProperty("directory.timeout", "2s");
        CassandraStoreConfiguration cassandra = CassandraStoreConfiguration.fromProperties(properties);
        CassandraStores stores = CassandraStores.onSession(session, cassandra, Clock.systemUTC(), new StoreLimits(10, 10));
        DirectoryConfiguration directory = DirectoryConfiguration.fromProperties(properties);
        return new DirectoryProvider(new JamesRecipientDirectory(null, null, null), directory, new DirectoryStatus(),
            new BoundedLookup(directory.timeout(), directory.maxConcurrent()),
            new VerificationCacheProvider(RcptGuardConfiguration.fromProperties(properties), directory, () -> stores, () -> cassandra))
            .get();
    }

    @Test
    void aSecondNodeUsesTheFirstNodesAnswers() throws Exception {
        CqlSession session = CASSANDRA.newSession();
        RecipientDirectory first = node(session);
        assertThat(first.classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.VALID);
        assertThat(first.classify(Mail.address("carol@example.net"))).isEqualTo(RecipientClass.INVALID);
        int asked = (int) rcpts.stream().filter(line -> !line.contains("rcptguard-probe-")).count();
        assertThat(asked).isEqualTo(2);

        RecipientDirectory second = node(session);
        assertThat(second.classify(Mail.address("alice@example.net"))).isEqualTo(RecipientClass.VALID);
        assertThat(second.classify(Mail.address("carol@example.net"))).isEqualTo(RecipientClass.INVALID);
        assertThat(rcpts.stream().filter(line -> !line.contains("rcptguard-probe-")).count()).isEqualTo(asked);
        assertThat(session.execute("SELECT answer FROM " + CASSANDRA.keyspace() + ".rcptguard_verifications WHERE address = 'alice@example.net'")
            .one().getString("answer")).isEqualTo("VALID");
    }
}
