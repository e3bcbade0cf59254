package org.rcptguard.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * James 3.8.1 WebAdmin over HTTP (no authentication: the test configuration listens on loopback only).
 *
 * <p>Routes used (James 3.8.1): {@code PUT /domains/{domain}}, {@code PUT /users/{user}} with
 * {@code {"password":"..."}}, {@code PUT /address/aliases/{target}/sources/{source}},
 * {@code GET /users/{user}/mailboxes/{mailbox}/messageCount}.
 */
public final class WebAdminClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;
    private final Optional<String> bearer;

    public WebAdminClient(String host, int port) {
        this(URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port),
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build(), Optional.empty());
    }

    private WebAdminClient(URI base, HttpClient http, Optional<String> bearer) {
        this.base = base;
        this.http = http;
        this.bearer = bearer;
    }

    public WebAdminClient(int port) {
        this("127.0.0.1", port);
    }

    /** The same WebAdmin, every request carrying {@code Authorization: Bearer <token>} (WebAdmin's JWT authentication). */
    public WebAdminClient withBearer(String token) {
        return new WebAdminClient(base, http, Optional.of(token));
    }

    /**
     * A sample of James's {@code /metrics} (Prometheus text), e.g. {@code rcptguard_rcpt_outcome_DEFER_total}; fails
     * if the sample is absent.
     */
    public double metric(String sample) {
        HttpResponse<String> response = get("/metrics");
        expect(response, "metrics", 200);
        return metric(response.body(), sample);
    }

    /** A sample of a {@code /metrics} text already read; fails if the sample is absent. */
    public static double metric(String prometheusText, String sample) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(sample) + " ([0-9.eE+-]+)$").matcher(prometheusText);
        if (!matcher.find()) {
            throw new IllegalStateException(sample + " is not in /metrics");
        }
        return Double.parseDouble(matcher.group(1));
    }

    /** Creates a domain; an existing domain is fine. */
    public void addDomain(String domain) {
        expect(put("/domains/" + segment(domain), null), "add domain " + domain, 204, 409);
    }

    /** Creates a user; fails if it exists. */
    public void addUser(String address, String password) {
        String body = "{\"password\":\"" + jsonEscape(password) + "\"}";
        expect(put("/users/" + segment(address), body), "add user " + address, 204);
    }

    /** Adds {@code source} as an alias of {@code target}: mail to source is delivered to target. */
    public void addAlias(String source, String target) {
        expect(put("/address/aliases/" + segment(target) + "/sources/" + segment(source), null),
            "add alias " + source + " -> " + target, 204);
    }

    /**
     * Number of messages in a mailbox of a user. A mailbox that does not exist yet (James creates INBOX on first
     * delivery) counts 0; an unknown user is an error.
     */
    public long messageCount(String user, String mailbox) {
        HttpResponse<String> response = get("/users/" + segment(user) + "/mailboxes/" + segment(mailbox) + "/messageCount");
        if (response.statusCode() == 200) {
            return Long.parseLong(response.body().trim());
        }
        if (response.statusCode() == 404 && userExists(user)) {
            return 0;
        }
        throw failure("message count of " + user + "/" + mailbox, response);
    }

    public long inboxCount(String user) {
        return messageCount(user, "INBOX");
    }

    public boolean userExists(String user) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/users/" + segment(user)))
            .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        return response.statusCode() == 200;
    }

    /** GET of any WebAdmin path, e.g. {@code /domains} or {@code /mailRepositories}. */
    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** PUT of any WebAdmin path, with a JSON body or none. */
    public HttpResponse<String> put(String path, String jsonBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (jsonBody == null) {
            request.PUT(HttpRequest.BodyPublishers.noBody());
        } else {
            // the content type matters: with a form content type Jetty consumes the body as form parameters
            request.header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
        }
        return send(request);
    }

    /** POST of any WebAdmin path, without a body. */
    public HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** True when WebAdmin answers {@code GET /domains} with 200, or 401 when it is behind its JWT authentication. */
    public boolean isUp() {
        try {
            HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri("/domains")).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 || response.statusCode() == 401;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            bearer.ifPresent(token -> request.header("Authorization", "Bearer " + token));
            return http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("WebAdmin request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private URI uri(String path) {
        return base.resolve(path.startsWith("/") ? path : "/" + path);
    }

    private static void expect(HttpResponse<String> response, String what, int... accepted) {
        for (int status : accepted) {
            if (response.statusCode() == status) {
                return;
            }
        }
        throw failure(what, response);
    }

    private static IllegalStateException failure(String what, HttpResponse<String> response) {
        return new IllegalStateException("WebAdmin: " + what + " failed: " + response.request().method() + " "
            + response.uri() + " answered HTTP " + response.statusCode() + ": " + response.body());
    }

    /** One path segment: percent-encoded, '@' kept as it is. */
    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@");
    }

    private static String jsonEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
