package org.rcptguard.james.content;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.rcptguard.core.content.Action;
import org.rcptguard.core.content.ContentScanner;
import org.rcptguard.core.content.Envelope;
import org.rcptguard.core.content.HeaderChange;
import org.rcptguard.core.content.MessageContent;
import org.rcptguard.core.content.ScanFailedException;
import org.rcptguard.core.content.Verdict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * rspamd's HTTP protocol: the message streamed to {@code /checkv2} (chunked, never copied into the heap), the
 * envelope as request headers, the JSON answer read into a {@link Verdict}. The JDK's HTTP client: James 3.8.1 runs
 * hooks on its I/O threads and waits for the answer anyway, and the JDK client needs no library and bounds the whole
 * exchange (headers and body) with one deadline.
 */
public final class RspamdScanner implements ContentScanner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Action> ACTIONS = Map.of(
        "no action", Action.NO_ACTION, "add header", Action.ADD_HEADER, "rewrite subject", Action.REWRITE_SUBJECT,
        "greylist", Action.GREYLIST, "soft reject", Action.SOFT_REJECT, "reject", Action.REJECT);
    // What rspamd's own proxy adds in milter mode when its milter_headers module asks for nothing.
    private static final HeaderChange SPAM_FLAG = HeaderChange.add("X-Spam", "Yes");

    private final HttpClient client;
    private final URI check;
    private final URI ping;
    private final Duration timeout;

    public RspamdScanner(URI base, Duration timeout) {
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        String root = base.toString().replaceAll("/+$", "");
        this.check = URI.create(root + "/checkv2");
        this.ping = URI.create(root + "/ping");
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "rspamd";
    }

    @Override
    public Verdict scan(Envelope envelope, MessageContent message) throws ScanFailedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(check).timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> {
                try {
                    return message.open();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }))
            .header("IP", envelope.clientAddress())
            .header("Queue-Id", envelope.queueId());
        header(request, "Helo", envelope.helo());
        header(request, "From", envelope.mailFrom());
        envelope.recipients().forEach(recipient -> request.header("Rcpt", recipient));
        envelope.authenticatedUser().ifPresent(user -> header(request, "User", user));
        HttpResponse<String> response = exchange(request.build());
        if (response.statusCode() != 200) {
            throw new ScanFailedException("rspamd answered HTTP " + response.statusCode());
        }
        return verdict(response.body());
    }

    @Override
    public void ping() throws ScanFailedException {
        HttpResponse<String> response = exchange(HttpRequest.newBuilder(ping).timeout(timeout).GET().build());
        if (response.statusCode() != 200 || !response.body().trim().equals("pong")) {
            throw new ScanFailedException("rspamd's /ping answered HTTP " + response.statusCode());
        }
    }

    static Verdict verdict(String body) throws ScanFailedException {
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (IOException e) {
            throw new ScanFailedException("rspamd's answer is not JSON");
        }
        Action action = answer == null ? null : ACTIONS.get(answer.path("action").asText(""));
        if (action == null) {
            throw new ScanFailedException("rspamd's answer names no known action");
        }
        OptionalDouble score = answer.path("score").isNumber() ? OptionalDouble.of(answer.path("score").asDouble()) : OptionalDouble.empty();
        String reason = answer.path("messages").path("smtp_message").asText("");
        Optional<String> subject = Optional.of(answer.path("subject").asText("")).filter(s -> !s.isEmpty());
        return Verdict.of(action, reason, score, headerChanges(answer.path("milter"), action), subject);
    }

    /** rspamd's {@code milter} block: removals first (a sender's forged {@code X-Spam-*}), then additions. */
    private static List<HeaderChange> headerChanges(JsonNode milter, Action action) throws ScanFailedException {
        List<HeaderChange> changes = new ArrayList<>();
        try {
            for (Iterator<String> names = milter.path("remove_headers").fieldNames(); names.hasNext(); ) {
                changes.add(HeaderChange.remove(names.next()));
            }
            boolean added = false;
            for (Iterator<Map.Entry<String, JsonNode>> headers = milter.path("add_headers").fields(); headers.hasNext(); ) {
                Map.Entry<String, JsonNode> header = headers.next();
                for (JsonNode value : header.getValue().isArray() ? header.getValue() : List.of(header.getValue())) {
                    changes.add(HeaderChange.add(header.getKey(), value.isObject() ? value.path("value").asText("") : value.asText("")));
                    added = true;
                }
            }
            if (!added && (action == Action.ADD_HEADER || action == Action.REWRITE_SUBJECT)) {
                changes.add(SPAM_FLAG);
            }
        } catch (IllegalArgumentException e) {
            throw new ScanFailedException("rspamd asked for a bad header: " + e.getMessage());
        }
        return changes;
    }

    private HttpResponse<String> exchange(HttpRequest request) throws ScanFailedException {
        CompletableFuture<HttpResponse<String>> response = client.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        try {
            // One deadline for the whole exchange: a server that sends its headers and then stalls is as slow as a silent one.
            return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw tooSlow();
        } catch (ExecutionException e) {
            // The request's own timeout (connection, headers) may fire first: the same failure.
            throw e.getCause() instanceof HttpTimeoutException ? tooSlow() : new ScanFailedException("rspamd: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScanFailedException("interrupted", e);
        }
    }

    private ScanFailedException tooSlow() {
        return new ScanFailedException("rspamd did not answer within " + timeout.toMillis() + " ms");
    }

    private static void header(HttpRequest.Builder request, String name, String value) {
        if (!value.isEmpty()) {
            request.header(name, value);
        }
    }
}
