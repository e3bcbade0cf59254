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
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.apache.james.jwt.JwtConfiguration;
import org.apache.james.jwt.JwtTokenVerifier;
import org.apache.james.metrics.tests.RecordingMetricFactory;
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
 * RcptGuard's routes in James's own {@link WebAdminServer} with James's JWT authentication filter
 * ({@code jwt.enabled=true}): without an admin token nothing is answered nor changed. (The SMTP integration tests'
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
        server = new WebAdminServer(WebAdminConfiguration.TEST_CONFIGURATION,
            List.of(injector.getInstance(RcptGuardRoutes.class)), jwt, new RecordingMetricFactory(), LoggingRequestFilter.create()) {
        };
        server.start();
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
