package org.rcptguard.james.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.james.jwt.JwtConfiguration;
import org.apache.james.jwt.JwtTokenVerifier;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.WebAdminConfiguration;
import org.apache.james.webadmin.WebAdminServer;
import org.apache.james.webadmin.authentication.JwtFilter;
import org.apache.james.webadmin.mdc.LoggingRequestFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rcptguard.core.SharedWhitelist;
import org.rcptguard.james.JamesBindings;
import org.rcptguard.james.RcptGuardModule;

import com.google.inject.Guice;
import com.google.inject.Injector;

/**
 * RcptGuard's routes, every class {@code conf/webadmin.properties} lists, in James's own {@link WebAdminServer} with
 * James's JWT authentication filter ({@code jwt.enabled=true}): without an admin token no route answers and nothing
 * changes. (The SMTP integration tests'
 * James harness waits for an unauthenticated WebAdmin, so this is checked in process, with the server, filter and
 * token verifier James 3.8.1 uses.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RcptGuardRoutesAuthenticationTest {
    private KeyPair keys;
    private WebAdminServer server;
    private Injector injector;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n";
        injector = Guice.createInjector(JamesBindings.of(Map.of("whitelist.refresh", "1h"), null)).createChildInjector(new RcptGuardModule());
        JwtFilter jwt = new JwtFilter(() -> JwtTokenVerifier.create(new JwtConfiguration(List.of(pem))));
        server = new WebAdminServer(WebAdminConfiguration.TEST_CONFIGURATION, configuredRoutes(), jwt,
            new RecordingMetricFactory(), LoggingRequestFilter.create()) {
        };
        server.start();
    }

    /** RcptGuard's routes as James loads them: each class named in the repository's conf/webadmin.properties. */
    private List<Routes> configuredRoutes() throws Exception {
        Path root = Paths.get(System.getProperty("rcptguard.repository.root", "../..")).toAbsolutePath().normalize();
        Properties webadmin = new Properties();
        try (var reader = Files.newBufferedReader(root.resolve("conf/webadmin.properties"))) {
            webadmin.load(reader);
        }
        List<Routes> routes = Arrays.stream(webadmin.getProperty("extensions.routes").split(","))
            .map(String::trim)
            .filter(name -> name.startsWith("org.rcptguard."))
            .map(name -> {
                try {
                    return (Routes) injector.getInstance(Class.forName(name));
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(name, e);
                }
            })
            .collect(Collectors.toList());
        assertThat(routes.stream().map(Routes::getBasePath)).containsExactlyInAnyOrder("/rcptguard/status",
            "/rcptguard/whitelist", "/rcptguard/networks", "/rcptguard/penalties", "/rcptguard/triplets",
            "/rcptguard/recipients", "/rcptguard/verifications", "/rcptguard/counters", "/rcptguard/harvests",
            "/rcptguard/backends");
        return routes;
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.destroy();
        }
    }


    private String token(Map<String, Object> claims) throws Exception {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        StringBuilder json = new StringBuilder("{");
        claims.forEach((key, value) -> json.append(json.length() > 1 ? "," : "").append('"').append(key).append("\":")
            .append(value instanceof String ? "\"" + value + "\"" : value));
        String payload = base64.encodeToString(json.append('}').toString().getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(keys.getPrivate());
        signature.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "." + base64.encodeToString(signature.sign());
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort().getValue() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutAnAdminTokenNothingIsAnsweredNorChanged() throws Exception {
        String user = token(Map.of("sub", "bob@example.com"));

        assertThat(send("GET", "/rcptguard/status", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/rcptguard/counters", "not-a-token").statusCode()).isEqualTo(401);
        assertThat(send("GET", "/rcptguard/whitelist", user).statusCode()).as("a token without admin").isEqualTo(401);
        assertThat(send("PUT", "/rcptguard/whitelist/clients/192.0.2.0/24", null).statusCode()).isEqualTo(401);
        assertThat(send("PUT", "/rcptguard/whitelist/clients/192.0.2.0/24", user).statusCode()).isEqualTo(401);

        assertThat(injector.getInstance(SharedWhitelist.class).entries()).isEmpty();
    }

    @Test
    void everyRouteNeedsAnAdminToken() throws Exception {
        String user = token(Map.of("sub", "bob@example.com"));
        String triplet = "/rcptguard/triplets?client=192.0.2.1&sender=a%40b.example&recipient=alice%40example.com";
        List<List<String>> routes = List.of(
            List.of("GET", "/rcptguard/status"),
            List.of("GET", "/rcptguard/whitelist"),
            List.of("GET", "/rcptguard/whitelist/clients"),
            List.of("PUT", "/rcptguard/whitelist/clients/192.0.2.0/24"),
            List.of("DELETE", "/rcptguard/whitelist/clients/192.0.2.0/24"),
            List.of("GET", "/rcptguard/networks/192.0.2.1"),
            List.of("DELETE", "/rcptguard/penalties/192.0.2.0/24"),
            List.of("GET", triplet),
            List.of("DELETE", triplet),
            List.of("GET", "/rcptguard/recipients/alice@example.com"),
            List.of("DELETE", "/rcptguard/verifications/alice@example.com"),
            List.of("GET", "/rcptguard/counters"),
            List.of("GET", "/rcptguard/harvests"),
            List.of("GET", "/rcptguard/harvests/example.com"),
            List.of("POST", "/rcptguard/harvests/example.com"),
            List.of("DELETE", "/rcptguard/harvests/example.com"));

        for (List<String> route : routes) {
            assertThat(send(route.get(0), route.get(1), null).statusCode()).as("no token: %s", route).isEqualTo(401);
            assertThat(send(route.get(0), route.get(1), user).statusCode()).as("no admin: %s", route).isEqualTo(401);
        }
    }

    @Test
    void anAdminTokenIsServed() throws Exception {
        String admin = token(Map.of("sub", "admin@example.com", "admin", true));

        HttpResponse<String> status = send("GET", "/rcptguard/status", admin);
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.body()).contains("\"mode\":\"enforce\"");
        assertThat(send("PUT", "/rcptguard/whitelist/senders/partner.example", admin).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/rcptguard/whitelist/senders", admin).body()).contains("partner.example");
        assertThat(send("DELETE", "/rcptguard/whitelist/senders/partner.example", admin).statusCode()).isEqualTo(204);
    }
}
