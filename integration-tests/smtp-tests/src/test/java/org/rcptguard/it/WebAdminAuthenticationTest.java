package org.rcptguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.rcptguard.launcher.JamesServerProcess;
import org.rcptguard.launcher.WebAdminClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.rcptguard.it.RcptGuardAdmin.Answer;
import org.rcptguard.it.RcptGuardSmtpTest.Smtp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * RcptGuard's WebAdmin routes behind James's own JWT authentication ({@code jwt.enabled=true} in
 * webadmin.properties, the public key of a key pair made here), against a real James: every route answers 401
 * without a token, with a token signed by another key, without the admin claim or expired, and is served with an
 * admin token. Then, with the admin token, a table of bad input over every route: each answers 400 naming the
 * field, and the state is the same afterwards. No RcptGuard route reads a request body, so a body changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebAdminAuthenticationTest {
    private static final String SOURCE = "127.0.81.2";
    private static final String SENDER = "<seen@sender.example>";
    private static final String TRIPLET = RcptGuardAdmin.triplet(SOURCE, "seen@sender.example", "alice@example.com");

    /** One request per route of each RcptGuard route class, and what an admin gets; in order (a PUT before its DELETE). */
    private static final List<Route> ROUTES = List.of(
        new Route("StatusRoutes", "GET", "/rcptguard/status", 200),
        new Route("WhitelistRoutes", "GET", "/rcptguard/whitelist", 200),
        new Route("WhitelistRoutes", "GET", "/rcptguard/whitelist/clients", 200),
        new Route("WhitelistRoutes", "PUT", "/rcptguard/whitelist/clients/10.9.9.0/24", 204),
        new Route("WhitelistRoutes", "DELETE", "/rcptguard/whitelist/clients/10.9.9.0/24", 204),
        new Route("ClientNetworkRoutes", "GET", "/rcptguard/networks/" + SOURCE, 200),
        new Route("PenaltyRoutes", "DELETE", "/rcptguard/penalties/192.0.2.0/24", 404),
        new Route("TripletRoutes", "GET", TRIPLET, 200),
        new Route("TripletRoutes", "DELETE", RcptGuardAdmin.triplet("192.0.2.1", "a@b.example", "alice@example.com"), 404),
        new Route("RecipientRoutes", "GET", "/rcptguard/recipients/alice@example.com", 200),
        new Route("VerificationRoutes", "DELETE", "/rcptguard/verifications/alice@example.com", 404),
        new Route("CountersRoutes", "GET", "/rcptguard/counters", 200),
        new Route("HarvestRoutes", "GET", "/rcptguard/harvests", 200),
        new Route("HarvestRoutes", "GET", "/rcptguard/harvests/example.com", 200),
        new Route("HarvestRoutes", "POST", "/rcptguard/harvests/example.com", 200),
        new Route("HarvestRoutes", "DELETE", "/rcptguard/harvests/example.com", 204),
        new Route("BackendRoutes", "GET", "/rcptguard/backends", 200));

    /** Bad input of every route that takes any (paths and query parameters), and the field its 400 must name. */
    private static final List<BadInput> BAD_INPUT = List.of(
        new BadInput("PUT", "/rcptguard/whitelist/clients/10.0.0.0/33", "'value'"),
        new BadInput("PUT", "/rcptguard/whitelist/clients/mx.example.com", "'value'"),
        new BadInput("PUT", "/rcptguard/whitelist/networks/10.0.0.0/8", "'kind'"),
        new BadInput("PUT", "/rcptguard/whitelist/senders/bad_domain!", "'value'"),
        new BadInput("PUT", "/rcptguard/whitelist/recipients/user@", "'value'"),
        new BadInput("PUT", "/rcptguard/whitelist/recipients/a%20b@example.com", "'value'"),
        new BadInput("DELETE", "/rcptguard/whitelist/clients/300.0.0.1", "'value'"),
        new BadInput("DELETE", "/rcptguard/whitelist/everything/10.0.0.0/8", "'kind'"),
        new BadInput("GET", "/rcptguard/whitelist/everything", "'kind'"),
        new BadInput("GET", "/rcptguard/networks/127.0.81.0/16", "'network'"),
        new BadInput("GET", "/rcptguard/networks/not-an-address", "'network'"),
        new BadInput("DELETE", "/rcptguard/penalties/999.1.1.1", "'network'"),
        new BadInput("DELETE", "/rcptguard/penalties/" + SOURCE + "/33", "'network'"),
        new BadInput("GET", "/rcptguard/triplets?client=" + SOURCE + "&sender=a@b.example", "'recipient'"),
        new BadInput("GET", RcptGuardAdmin.triplet("mx.example", "a@b.example", "alice@example.com"), "'client'"),
        new BadInput("GET", RcptGuardAdmin.triplet(SOURCE, "not an address", "alice@example.com"), "'sender'"),
        new BadInput("DELETE", RcptGuardAdmin.triplet(SOURCE, "seen@sender.example", "alice"), "'recipient'"),
        new BadInput("DELETE", RcptGuardAdmin.triplet("300.1.1.1", "seen@sender.example", "alice@example.com"), "'client'"),
        new BadInput("GET", "/rcptguard/recipients/not-an-address", "'address'"),
        new BadInput("DELETE", "/rcptguard/verifications/alice", "'address'"),
        new BadInput("GET", "/rcptguard/harvests/bad_domain!", "'domain'"),
        new BadInput("POST", "/rcptguard/harvests/-example.com", "'domain'"),
        new BadInput("DELETE", "/rcptguard/harvests/example..com", "'domain'"));

    private KeyPair keys;
    private JamesServerProcess james;

    @BeforeAll
    void startJamesBehindJwt() throws Exception {
        keys = rsaKeyPair();
        Path conf = confWithJwt(keys);
        james = JamesServerProcess.builder()
            .confDir(conf)
            .rcptguardProperties(Map.of("greylist.delay", "5m"))
            .start();
        Smtp.transaction(james, SOURCE, SENDER, "alice@example.com");
    }

    @AfterAll
    void stopJames() {
        if (james != null) {
            james.close();
        }
    }

    @Test
    void theTableNamesEveryRcptGuardRouteClassOfWebadminProperties() throws IOException {
        Properties webadmin = new Properties();
        webadmin.load(Files.newBufferedReader(JamesServerProcess.projectConfDir().resolve("webadmin.properties")));
        Set<String> configured = Arrays.stream(webadmin.getProperty("extensions.routes").split(","))
            .map(String::trim)
            .filter(name -> name.startsWith("org.rcptguard."))
            .map(name -> name.substring(name.lastIndexOf('.') + 1))
            .collect(Collectors.toSet());

        assertThat(configured).hasSize(10);
        assertThat(ROUTES.stream().map(Route::routeClass).collect(Collectors.toSet())).isEqualTo(configured);
    }

    @Test
    void everyRouteIs401WithoutAValidAdminTokenAndServedWithOne() throws Exception {
        Map<String, RcptGuardAdmin> refused = Map.of(
            "no token", new RcptGuardAdmin(james.webAdmin()),
            "signed by another key", new RcptGuardAdmin(james.webAdmin().withBearer(token(rsaKeyPair().getPrivate(), adminClaims()))),
            "not an admin", new RcptGuardAdmin(james.webAdmin().withBearer(token(keys.getPrivate(),
                "{\"sub\":\"someone@example.com\",\"admin\":false,\"iat\":" + Instant.now().getEpochSecond() + "}"))),
            "expired", new RcptGuardAdmin(james.webAdmin().withBearer(token(keys.getPrivate(),
                "{\"sub\":\"admin@example.com\",\"admin\":true,\"exp\":" + Instant.now().minusSeconds(60).getEpochSecond() + "}"))),
            "not a JWT", new RcptGuardAdmin(james.webAdmin().withBearer("not.a.token")));
        RcptGuardAdmin admin = admin();

        for (Route route : ROUTES) {
            refused.forEach((why, client) -> assertThat(route.call(client).status).as(why + ": " + route).isEqualTo(401));
        }
        assertThat(admin.get("/rcptguard/whitelist/clients").json()).as("the refused PUT added nothing")
            .noneSatisfy(entry -> assertThat(entry.get("value").asText()).isEqualTo("10.9.9.0/24"));
        assertThat(admin.get(TRIPLET).status).as("the refused DELETE forgot nothing").isEqualTo(200);
        assertThat(admin.get("/rcptguard/harvests").json()).as("the refused POST started no harvest").isEmpty();

        for (Route route : ROUTES) {
            Answer answer = route.call(admin);
            assertThat(answer.status).as(route + ": " + answer).isEqualTo(route.adminStatus);
        }
        assertThat(new RcptGuardAdmin(james.webAdmin()).get("/metrics").status)
            .as("James's /metrics stays public, as webadmin.properties says").isEqualTo(200);
    }

    @Test
    void everyRoutesBadInputIsA400NamingTheFieldAndChangesNothing() {
        RcptGuardAdmin admin = admin();
        Function<String, String> state = path -> admin.get(path).body;
        List<String> watched = List.of("/rcptguard/whitelist", "/rcptguard/networks/" + SOURCE, TRIPLET, "/rcptguard/harvests");
        List<String> before = watched.stream().map(state).collect(Collectors.toList());

        for (BadInput bad : BAD_INPUT) {
            Answer answer = bad.call(admin);
            assertThat(answer.status).as(bad + ": " + answer).isEqualTo(400);
            JsonNode json = answer.json();
            assertThat(json.get("statusCode").asInt()).as(bad.toString()).isEqualTo(400);
            assertThat(json.get("type").asText()).as(bad.toString()).isEqualTo("InvalidArgument");
            assertThat(json.get("message").asText()).as(bad.toString()).contains(bad.field);
        }
        Answer withABody = new Answer(webAdminAsAdmin().put("/rcptguard/whitelist/clients/10.0.0.0/33", "{\"value\":\"10.0.0.0/8\"}"));
        assertThat(withABody.status).as("a body is not read: " + withABody).isEqualTo(400);

        assertThat(watched.stream().map(state).collect(Collectors.toList())).isEqualTo(before);
    }

    private RcptGuardAdmin admin() {
        return new RcptGuardAdmin(webAdminAsAdmin());
    }

    private WebAdminClient webAdminAsAdmin() {
        return james.webAdmin().withBearer(token(keys.getPrivate(), adminClaims()));
    }

    private static String adminClaims() {
        return "{\"sub\":\"admin@example.com\",\"admin\":true,\"iat\":" + Instant.now().getEpochSecond() + "}";
    }

    private static KeyPair rsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /** A JWT signed with RS256, as James's verifier expects: base64url(header).base64url(claims).base64url(signature). */
    private static String token(PrivateKey key, String claimsJson) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String signed = base64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "." + base64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + base64.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of the repository's conf/ with jwt.enabled=true and the public key as conf/jwt_publickey (PEM). */
    private static Path confWithJwt(KeyPair keys) throws IOException {
        Path conf = Paths.get(System.getProperty("rcptguard.it.work.dir", "target/james-homes"))
            .resolve("jwt-conf-" + UUID.randomUUID());
        Files.createDirectories(conf);
        try (var files = Files.list(JamesServerProcess.projectConfDir())) {
            for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                Files.copy(file, conf.resolve(file.getFileName()));
            }
        }
        Path webadmin = conf.resolve("webadmin.properties");
        String properties = Files.readString(webadmin)
            .replace("#jwt.enabled=true", "jwt.enabled=true")
            .replace("#jwt.publickeypem.url=file://conf/jwt_publickey", "jwt.publickeypem.url=file://conf/jwt_publickey");
        assertThat(properties).contains("\njwt.enabled=true", "\njwt.publickeypem.url=");
        Files.writeString(webadmin, properties);
        Files.writeString(conf.resolve("jwt_publickey"), "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
        return conf;
    }

    private static final class Route {
        final String routeClass;
        final String method;
        final String path;
        final int adminStatus;

        Route(String routeClass, String method, String path, int adminStatus) {
            this.routeClass = routeClass;
            this.method = method;
            this.path = path;
            this.adminStatus = adminStatus;
        }

        String routeClass() {
            return routeClass;
        }

        Answer call(RcptGuardAdmin client) {
            return client.call(method, path);
        }

        @Override
        public String toString() {
            return routeClass + " " + method + " " + path;
        }
    }

    private static final class BadInput {
        final String method;
        final String path;
        final String field;

        BadInput(String method, String path, String field) {
            this.method = method;
            this.path = path;
            this.field = field;
        }

        Answer call(RcptGuardAdmin client) {
            return client.call(method, path);
        }

        @Override
        public String toString() {
            return method + " " + path + " (" + field + ")";
        }
    }
}
