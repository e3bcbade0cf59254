package org.rcptguard.it;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.rcptguard.launcher.JamesServerProcess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Prometheus for tests and the dashboard picture: Debian's {@code prometheus}, a non-system instance with its
 * own configuration and data directory under {@code home}, on a free loopback port, scraping James's WebAdmin
 * {@code /metrics} every second.
 */
public final class Prometheus implements AutoCloseable {
    static final String BINARY = "/usr/bin/prometheus";
    /** The scrape interval: Grafana's {@code $__rate_interval} is at least four of it. */
    public static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final int port;
    private final Process process;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static boolean installed() {
        return Files.isExecutable(Path.of(BINARY));
    }

    /** Starts Prometheus scraping {@code /metrics} of these {@code host:port} WebAdmin targets. */
    public Prometheus(Path home, List<String> targets) throws Exception {
        this.home = home;
        this.port = JamesServerProcess.freePort(false);
        Files.createDirectories(home.resolve("data"));
        String quoted = String.join(", ", targets.stream().map(target -> "'" + target + "'").toArray(String[]::new));
        Files.writeString(home.resolve("prometheus.yml"), String.join("\n",
            "global:",
            "  scrape_interval: " + SCRAPE_INTERVAL.toSeconds() + "s",
            "  evaluation_interval: " + SCRAPE_INTERVAL.toSeconds() + "s",
            "scrape_configs:",
            "  - job_name: james",
            "    metrics_path: /metrics",
            "    static_configs:",
            "      - targets: [" + quoted + "]",
            ""), StandardCharsets.UTF_8);
        process = new ProcessBuilder(BINARY, "--config.file=" + home.resolve("prometheus.yml"),
            "--storage.tsdb.path=" + home.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true).redirectOutput(home.resolve("prometheus.log").toFile()).start();
        try {
            awaitReady(Duration.ofSeconds(60));
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** An instant query through the HTTP API ({@code /api/v1/query}): the {@code data} of a successful answer. */
    public JsonNode query(String promql) throws IOException, InterruptedException {
        JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"success".equals(answer.path("status").asText())) {
            throw new IllegalStateException("Prometheus refused " + promql + ": " + answer);
        }
        return answer.get("data");
    }

    /** The values of a label on the series a selector matches (what Grafana's {@code label_values} asks). */
    public JsonNode labelValues(String label, String selector) throws IOException, InterruptedException {
        return get("/api/v1/label/" + label + "/values?match[]=" + URLEncoder.encode(selector, StandardCharsets.UTF_8)).get("data");
    }

    /** Waits until every target has been scraped successfully at least {@code scrapes} times, recently. */
    public void awaitScrapes(int scrapes, Duration timeout) throws Exception {
        String promql = "min(sum_over_time(up[" + (scrapes + 5) * SCRAPE_INTERVAL.toSeconds() + "s]))";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode result = query(promql).get("result");
            if (result.size() > 0 && result.get(0).get("value").get(1).asDouble() >= scrapes) {
                return;
            }
            Thread.sleep(SCRAPE_INTERVAL.toMillis());
        }
        throw new IllegalStateException("Prometheus did not scrape its targets " + scrapes + " times: " + log());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url() + path))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited: " + log());
            }
            try {
                HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("prometheus was not ready on " + port + ": " + log());
    }

    String log() throws IOException {
        return Files.readString(home.resolve("prometheus.log"));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
