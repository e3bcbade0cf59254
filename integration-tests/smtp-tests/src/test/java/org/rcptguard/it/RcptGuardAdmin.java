package org.rcptguard.it;

import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.WebAdminClient;

/** RcptGuard's WebAdmin routes (/rcptguard/...) of one James, answers parsed as JSON. */
final class RcptGuardAdmin {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebAdminClient webAdmin;

    RcptGuardAdmin(JamesServerProcess james) {
        this(james.webAdmin());
    }

    RcptGuardAdmin(WebAdminClient webAdmin) {
        this.webAdmin = webAdmin;
    }

    /** An answer: status and body (JSON when there is one). */
    static final class Answer {
        final int status;
        final String body;

        Answer(HttpResponse<String> response) {
            this.status = response.statusCode();
            this.body = response.body();
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("not JSON (HTTP " + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + body;
        }
    }

    Answer get(String path) {
        return new Answer(webAdmin.get(path));
    }

    Answer put(String path) {
        return new Answer(webAdmin.put(path, null));
    }

    Answer post(String path) {
        return new Answer(webAdmin.post(path));
    }

    Answer delete(String path) {
        return new Answer(webAdmin.delete(path));
    }

    /** A request by method name (GET, PUT or POST without a body, DELETE). */
    Answer call(String method, String path) {
        switch (method) {
            case "GET":
                return get(path);
            case "PUT":
                return put(path);
            case "POST":
                return post(path);
            case "DELETE":
                return delete(path);
            default:
                throw new IllegalArgumentException(method);
        }
    }

    /** GET /rcptguard/whitelist: [{kind, value, source}]. */
    List<JsonNode> whitelist() {
        List<JsonNode> entries = new ArrayList<>();
        get("/rcptguard/whitelist").json().forEach(entries::add);
        return entries;
    }

    static String triplet(String client, String sender, String recipient) {
        return "/rcptguard/triplets?client=" + query(client) + "&sender=" + query(sender) + "&recipient=" + query(recipient);
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Polls {@code path} until its answer satisfies {@code done}, for at most {@code timeout}; returns the last answer. */
    Answer until(String path, Predicate<Answer> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Answer answer = get(path);
        while (!done.test(answer) && System.nanoTime() - deadline < 0) {
            Thread.sleep(200);
            answer = get(path);
        }
        return answer;
    }
}
