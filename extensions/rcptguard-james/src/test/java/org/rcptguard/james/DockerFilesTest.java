package org.rcptguard.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.webadmin.Routes;
import org.junit.jupiter.api.Test;
import org.rcptguard.core.Decision;
import org.rcptguard.core.Mail;
import org.rcptguard.core.PolicyFixture;
import org.rcptguard.core.RcptGuardSettings;
import org.rcptguard.core.RcptPolicy;
import org.rcptguard.core.RcptRequest;
import org.rcptguard.core.TransactionState;
import org.rcptguard.core.WhitelistEntry;
import org.rcptguard.core.identity.IdentitySettings;
import org.rcptguard.core.memory.MemoryStores;
import org.rcptguard.core.store.RcptGuardStores;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Module;

/**
 * What can be checked of docker/ without a Docker engine: the compose file, the Dockerfile, the Prometheus and
 * Grafana files parse; every file they name exists in the repository or is made by this build; every class the
 * image's configuration names exists and is what James expects there; the image's configuration is the repository's
 * conf/ (the one the integration tests run James with) plus docker/conf/, which differs from it only where a container
 * and the Cassandra cluster need it; the dashboard shows every decision outcome and reason, and only metrics RcptGuard
 * registers.
 */
class DockerFilesTest {
    /** The files of the stock image's /root/conf (James 3.8.1 server/apps/memory-app sample-configuration and docker-configuration). */
    static final List<String> STOCK_IMAGE_CONF = List.of("deletedMessageVault.properties", "dnsservice.xml", "domainlist.xml",
        "extensions.properties", "healthcheck.properties", "imapserver.xml", "jmap.properties", "jmx.properties", "jvm.properties",
        "listeners.xml", "logback.xml", "mailetcontainer.xml", "mailrepositorystore.xml", "managesieveserver.xml", "pop3server.xml",
        "recipientrewritetable.xml", "smtpserver.xml", "usersrepository.xml", "webadmin.properties");

    private static final Path ROOT = Paths.get(System.getProperty("rcptguard.repository.root", "../..")).toAbsolutePath().normalize();
    private static final Path DOCKER = ROOT.resolve("docker");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws IOException {
        return (Map<String, Object>) new Yaml().load(Files.readString(DOCKER.resolve("docker-compose.yml")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        return (Map<String, Map<String, Object>>) compose().get("services");
    }

    private static List<String> jamesServices(Map<String, Map<String, Object>> services) {
        return services.keySet().stream().filter(name -> name.startsWith("james")).sorted().collect(Collectors.toList());
    }

    private static List<String> cassandraServices(Map<String, Map<String, Object>> services) {
        return services.keySet().stream().filter(name -> name.startsWith("cassandra")).sorted().collect(Collectors.toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theComposeFileHasTwoJamesNodesAndThreeCassandraNodesWithHealthChecks() throws IOException {
        Map<String, Map<String, Object>> services = services();

        assertThat(jamesServices(services)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(cassandraServices(services)).containsExactly("cassandra1", "cassandra2", "cassandra3");
        for (String cassandra : cassandraServices(services)) {
            assertThat(services.get(cassandra).get("healthcheck")).as(cassandra).isNotNull();
            assertThat((String) services.get(cassandra).get("image")).as(cassandra).startsWith("cassandra:5.0");
        }
        for (String james : jamesServices(services)) {
            Map<String, Object> dependsOn = (Map<String, Object>) services.get(james).get("depends_on");
            assertThat(dependsOn).as(james).containsOnlyKeys(cassandraServices(services));
            dependsOn.values().forEach(condition ->
                assertThat(((Map<String, Object>) condition).get("condition")).isEqualTo("service_healthy"));
            assertThat((List<String>) services.get(james).get("ports")).as(james)
                .allSatisfy(port -> assertThat(port).startsWith("127.0.0.1:"))
                .anySatisfy(port -> assertThat(port).endsWith(":25"))
                .anySatisfy(port -> assertThat(port).endsWith(":8000"));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyFileTheComposeFileNamesExists() throws IOException {
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
            Object build = service.getValue().get("build");
            if (build != null) {
                Map<String, Object> buildMap = (Map<String, Object>) build;
                Path context = DOCKER.resolve((String) buildMap.get("context")).normalize();
                assertThat(context).as(service.getKey() + " build context").isEqualTo(ROOT);
                assertThat(context.resolve((String) buildMap.get("dockerfile"))).as(service.getKey()).isRegularFile();
                checked.add((String) buildMap.get("dockerfile"));
            }
            for (Object volume : (List<Object>) service.getValue().getOrDefault("volumes", List.of())) {
                String source = ((String) volume).split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(DOCKER.resolve(source).normalize()).as(service.getKey() + " mounts " + source).exists();
                    checked.add(source);
                }
            }
        }
        assertThat(checked).contains("docker/Dockerfile", "./conf/rcptguard.properties", "./grafana/rcptguard-dashboard.json",
            "./prometheus/prometheus.yml", "./grafana/provisioning");
    }

    @Test
    void everyFileTheDockerfileCopiesExistsOrIsMadeByThisBuild() throws IOException {
        List<String> lines = Files.readAllLines(DOCKER.resolve("Dockerfile"));
        String from = lines.stream().filter(line -> line.startsWith("FROM ")).findFirst().orElseThrow();
        assertThat(from).isEqualTo("FROM apache/james:memory-" + System.getProperty("james.version", "3.8.1"));
        List<String> sources = lines.stream().filter(line -> line.startsWith("COPY "))
            .map(line -> line.split("\\s+")[1]).collect(Collectors.toList());

        assertThat(sources).containsExactly("conf/", "docker/conf/", "extensions/rcptguard-james/target/rcptguard-extension.jar");
        assertThat(ROOT.resolve("conf")).isDirectory();
        assertThat(ROOT.resolve("docker/conf")).isDirectory();
        // made by this module's package phase (after these tests): the shade plugin's finalName in this module's pom
        String pom = Files.readString(ROOT.resolve("extensions/rcptguard-james/pom.xml"));
        assertThat(pom).contains("<finalName>rcptguard-extension</finalName>").contains("<include>org.rcptguard:*</include>");
        String ignore = Files.readString(DOCKER.resolve("Dockerfile.dockerignore"));
        assertThat(ignore).contains("!conf/", "!docker/conf/", "!extensions/rcptguard-james/target/rcptguard-extension.jar");
    }

    /** conf/ with docker/conf/ on top: what the image's /root/conf holds. */
    private static Map<String, String> imageConf() throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        for (Path dir : List.of(ROOT.resolve("conf"), DOCKER.resolve("conf"))) {
            try (Stream<Path> walk = Files.list(dir)) {
                for (Path file : walk.filter(Files::isRegularFile).collect(Collectors.toList())) {
                    files.put(file.getFileName().toString(), Files.readString(file));
                }
            }
        }
        return files;
    }

    @Test
    void theImageConfigurationReplacesEveryFileOfTheStockImage() throws IOException {
        assertThat(imageConf().keySet()).containsAll(STOCK_IMAGE_CONF);
    }

    @Test
    void everyClassTheImageConfigurationNamesExistsAndIsWhatJamesExpects() throws Exception {
        Map<String, String> conf = imageConf();
        Properties extensions = properties(conf.get("extensions.properties"));
        Properties webadmin = properties(conf.get("webadmin.properties"));
        Properties healthcheck = properties(conf.get("healthcheck.properties"));
        List<String> handlers = new ArrayList<>();
        Matcher handler = Pattern.compile("<handler\\s+class=\"([^\"]+)\"").matcher(conf.get("smtpserver.xml"));
        while (handler.find()) {
            handlers.add(handler.group(1));
        }

        assertClasses(extensions.getProperty("guice.extension.module"), Module.class);
        assertClasses(webadmin.getProperty("extensions.routes"), Routes.class);
        assertClasses(healthcheck.getProperty("additional.healthchecks"), HealthCheck.class);
        assertClasses(String.join(",", handlers), ProtocolHandler.class);
        assertThat(webadmin.getProperty("extensions.routes").split(",")).containsExactlyInAnyOrder(
            "org.rcptguard.james.webadmin.StatusRoutes", "org.rcptguard.james.webadmin.WhitelistRoutes",
            "org.rcptguard.james.webadmin.ClientNetworkRoutes", "org.rcptguard.james.webadmin.PenaltyRoutes",
            "org.rcptguard.james.webadmin.TripletRoutes", "org.rcptguard.james.webadmin.RecipientRoutes",
            "org.rcptguard.james.webadmin.VerificationRoutes", "org.rcptguard.james.webadmin.CountersRoutes",
            "org.rcptguard.james.webadmin.HarvestRoutes", "org.rcptguard.james.webadmin.BackendRoutes",
            "org.apache.james.webadmin.dropwizard.MetricsRoutes");
        assertThat(healthcheck.getProperty("additional.healthchecks")).isEqualTo(
            "org.rcptguard.james.RcptGuardHealthCheck,org.rcptguard.james.directory.DirectoryHealthCheck,"
                + "org.rcptguard.james.content.ContentHealthCheck,org.rcptguard.james.inline.InlineHealthCheck");
        assertThat(handlers).contains("org.rcptguard.james.RcptGuardMailHook", "org.rcptguard.james.RcptGuardRcptHook",
            "org.rcptguard.james.RcptGuardDataHook", "org.rcptguard.james.content.RcptGuardContentPolicyHook",
            "org.rcptguard.james.content.ContentScanHook", "org.rcptguard.james.inline.InlineRouteHook",
            "org.rcptguard.james.inline.InlineDeliveryHook");
    }

    private static void assertClasses(String commaSeparated, Class<?> expected) throws ClassNotFoundException {
        assertThat(commaSeparated).as("classes for " + expected.getSimpleName()).isNotBlank();
        for (String name : commaSeparated.split(",")) {
            Class<?> type = Class.forName(name.trim());
            assertThat(expected).as(name).isAssignableFrom(type);
            if (name.trim().startsWith("org.rcptguard.")) {
                // the extension jar is the shade of every org.rcptguard artifact: the class is in it
                assertThat(type.getProtectionDomain().getCodeSource().getLocation().getPath()).as(name)
                    .containsAnyOf("/rcptguard-james/", "/rcptguard-core/", "/rcptguard-cassandra/");
            }
        }
    }

    @Test
    void theDockerConfigurationDiffersFromTheTestedOneOnlyWhereAContainerAndTheClusterNeedIt() throws IOException {
        assertOnlyLinesDiffer("smtpserver.xml", line -> line.trim().startsWith("<bind>") || line.trim().startsWith("<!--"));
        assertOnlyLinesDiffer("webadmin.properties", line -> line.startsWith("host=") || line.startsWith("#"));
        assertThat(Files.readString(DOCKER.resolve("conf/smtpserver.xml"))).contains("<bind>0.0.0.0:25</bind>");

        Properties tested = properties(Files.readString(ROOT.resolve("conf/rcptguard.properties")));
        Properties docker = properties(Files.readString(DOCKER.resolve("conf/rcptguard.properties")));
        Map<String, String> testedPolicy = policy(tested);
        assertThat(policy(docker)).as("every RcptGuard setting but the store's").isEqualTo(testedPolicy);
        assertThat(docker.getProperty("store")).isEqualTo("cassandra");
        assertThat(docker.getProperty("cassandra.contact.points")).isEqualTo("cassandra1:9042,cassandra2:9042,cassandra3:9042");
        assertThat(docker.getProperty("cassandra.replication")).isEqualTo("NetworkTopologyStrategy:datacenter1=3");
        // and the file is one RcptGuard accepts
        org.rcptguard.core.RcptGuardConfiguration.fromProperties(docker);
        org.rcptguard.cassandra.CassandraStoreConfiguration.fromProperties(docker);
        // the identity settings both files show are the code's defaults (SPF on)
        assertThat(tested.getProperty("identity.spf")).isEqualTo("true");
        assertThat(IdentitySettings.from(RcptGuardSettings.of(tested))).isEqualTo(IdentitySettings.DEFAULT);
    }

    private static Map<String, String> policy(Properties properties) {
        Map<String, String> policy = new LinkedHashMap<>();
        new TreeSet<>(properties.stringPropertyNames()).stream()
            .filter(key -> !key.equals("store") && !key.startsWith("store.memory.") && !key.startsWith("cassandra."))
            .forEach(key -> policy.put(key, properties.getProperty(key)));
        return policy;
    }

    private static void assertOnlyLinesDiffer(String file, java.util.function.Predicate<String> allowed) throws IOException {
        List<String> tested = Files.readAllLines(ROOT.resolve("conf").resolve(file));
        List<String> docker = Files.readAllLines(DOCKER.resolve("conf").resolve(file));
        assertThat(docker).as(file + ": same number of lines").hasSameSizeAs(tested);
        for (int i = 0; i < tested.size(); i++) {
            if (!tested.get(i).equals(docker.get(i))) {
                assertThat(allowed.test(docker.get(i)) && allowed.test(tested.get(i)))
                    .as("%s line %d differs: '%s' / '%s'", file, i + 1, tested.get(i), docker.get(i)).isTrue();
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesEveryJamesNodeOnTheWebAdminPort() throws IOException {
        Map<String, Object> prometheus = new Yaml().load(Files.readString(DOCKER.resolve("prometheus/prometheus.yml")));
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) prometheus.get("scrape_configs");
        Map<String, Object> job = jobs.get(0);
        List<String> targets = (List<String>) ((List<Map<String, Object>>) job.get("static_configs")).get(0).get("targets");
        String port = properties(Files.readString(DOCKER.resolve("conf/webadmin.properties"))).getProperty("port");

        assertThat(job.get("metrics_path")).isEqualTo("/metrics");
        assertThat(targets).containsExactlyElementsOf(jamesServices(services()).stream()
            .map(service -> service + ":" + port).collect(Collectors.toList()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void grafanaIsProvisionedWithTheDashboard() throws IOException {
        Map<String, Object> provider = (Map<String, Object>) ((List<Object>) new Yaml()
            .<Map<String, Object>>load(Files.readString(DOCKER.resolve("grafana/provisioning/dashboards/rcptguard.yml")))
            .get("providers")).get(0);
        String dashboardsPath = (String) ((Map<String, Object>) provider.get("options")).get("path");
        List<String> grafanaVolumes = (List<String>) services().get("grafana").get("volumes");

        assertThat(grafanaVolumes).contains("./grafana/rcptguard-dashboard.json:" + dashboardsPath + "/rcptguard-dashboard.json:ro");
        assertThat(Files.readString(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yml")))
            .contains("type: prometheus").contains("url: http://prometheus:9090");
    }

    @Test
    void theDashboardShowsEveryOutcomeAndReasonAndOnlyMetricsRcptGuardRegisters() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DOCKER.resolve("grafana/rcptguard-dashboard.json").toFile());
        Set<String> shown = new TreeSet<>();
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            titles.add(panel.get("title").asText());
            assertThat(panel.has("gridPos")).as(panel.get("title").asText()).isTrue();
            for (JsonNode target : panel.path("targets")) {
                Matcher names = Pattern.compile("rcptguard_[A-Za-z0-9_]+").matcher(target.get("expr").asText());
                while (names.find()) {
                    shown.add(names.group());
                }
            }
        }

        Set<String> registered = registeredPrometheusNames();
        Set<String> unknown = new TreeSet<>(shown);
        unknown.removeAll(registered);
        assertThat(unknown).as("shown but never registered").isEmpty();
        for (Decision.Outcome outcome : Decision.Outcome.values()) {
            assertThat(shown).contains("rcptguard_rcpt_outcome_" + outcome + "_total");
        }
        for (Decision.Reason reason : Decision.Reason.values()) {
            assertThat(shown).contains("rcptguard_rcpt_reason_" + reason + "_total");
        }
        assertThat(shown).contains("rcptguard_rcpt_decision", "rcptguard_store_triplet_find", "rcptguard_directory_classify",
            "rcptguard_penalties_total", "rcptguard_mode_observe");
        assertThat(titles).hasSizeGreaterThan(10);
        assertThat(dashboard.get("uid").asText()).isEqualTo("rcptguard");
    }

    /** The Prometheus names of every metric RcptGuard registers, found by exercising it on a recording metric factory. */
    private static Set<String> registeredPrometheusNames() throws Exception {
        RecordingMetricFactory factory = new RecordingMetricFactory();
        Set<String> gauges = new HashSet<>();
        NoopGaugeRegistry gaugeRegistry = new NoopGaugeRegistry() {
            @Override
            public <T> org.apache.james.metrics.api.GaugeRegistry register(String name, org.apache.james.metrics.api.Gauge<T> gauge) {
                gauges.add(name);
                return this;
            }
        };
        PolicyFixture fixture = new PolicyFixture("scan.threshold", "1");
        RcptGuardMetrics metrics = new RcptGuardMetrics(factory, gaugeRegistry, fixture.configuration);
        RcptGuardStores stores = new TimedStores(new MemoryStores(fixture.clock, fixture.configuration), metrics);
        org.rcptguard.core.SharedWhitelist whitelist = new org.rcptguard.core.SharedWhitelist(stores.whitelistStore(), fixture.clock);
        WhitelistRefresher.start(whitelist, metrics, java.time.Duration.ofHours(1), fixture.clock).close();
        metrics.recordWhitelistRefreshFailure();
        metrics.registerCatchAllGauge(() -> 0);
        metrics.registerTripletFilterGauges(() -> 1, () -> 0);
        whitelist.add(WhitelistEntry.client("192.0.2.0/24"));
        whitelist.remove(WhitelistEntry.client("192.0.2.0/24"));
        RcptPolicy policy = RcptPolicy.create(new TimedDirectory(fixture.directory, factory), stores, fixture.configuration,
            fixture.clock, () -> org.rcptguard.core.Whitelist.EMPTY, org.rcptguard.core.BackgroundLookups.ON_CALLER_THREAD,
            (request, penalised, penalty) -> metrics.recordPenalty(), org.rcptguard.core.Deployment.HOSTED);
        InetAddress client = InetAddress.getByName("192.0.2.7");
        for (String recipient : List.of("alice@example.com", "u1@example.com", "u2@example.com")) {
            metrics.record(metrics.time(RcptGuardMetrics.DECISION_TIMER, () -> policy.decide(
                new RcptRequest(client, false, false, Mail.sender("a@b.example"), Mail.address(recipient)), TransactionState.EMPTY)));
        }
        InetAddress passing = InetAddress.getByName("198.51.100.7");
        metrics.record(policy.decide(new RcptRequest(passing, false, false, Mail.sender("a@b.example"), Mail.address("alice@example.com")), TransactionState.EMPTY));
        fixture.clock.advance(java.time.Duration.ofMinutes(5));
        metrics.record(policy.decide(new RcptRequest(passing, false, false, Mail.sender("a@b.example"), Mail.address("alice@example.com")), TransactionState.EMPTY));
        stores.probe();
        stores.tripletStore().forget(new org.rcptguard.core.Triplet(org.rcptguard.core.ClientNetwork.parse("192.0.2.0/24"), "a", "b"));
        stores.clientNetworkStore().liftPenalty(org.rcptguard.core.ClientNetwork.parse("192.0.2.0/24"));
        stores.unknownRecipientStore().count(org.rcptguard.core.ClientNetwork.parse("192.0.2.0/24"));
        stores.unknownRecipientStore().forget(org.rcptguard.core.ClientNetwork.parse("192.0.2.0/24"));
        metrics.recordDataRejection();

        Set<String> names = new TreeSet<>();
        // counters (DropWizard meters) are exported with _total; timers as summaries (quantiles, _count); gauges as they are
        factory.countForPrefixName("rcptguard").keySet().forEach(name -> names.add(prometheus(name) + "_total"));
        Arrays.stream(Decision.Outcome.values()).forEach(outcome -> names.add(prometheus(RcptGuardMetrics.OUTCOME_PREFIX + outcome) + "_total"));
        Arrays.stream(Decision.Reason.values()).forEach(reason -> names.add(prometheus(RcptGuardMetrics.REASON_PREFIX + reason) + "_total"));
        factory.executionTimesForPrefixName("rcptguard").keySet().forEach(name -> {
            names.add(prometheus(name));
            names.add(prometheus(name) + "_count");
        });
        gauges.forEach(name -> names.add(prometheus(name)));
        assertThat(names).contains("rcptguard_store_triplet_find", "rcptguard_store_unknown_record", "rcptguard_whitelist_refresh",
            "rcptguard_whitelist_entries", "rcptguard_whitelist_age_seconds", "rcptguard_penalties_total");
        return names;
    }

    /** What Prometheus's Dropwizard exporter makes of a metric name. */
    private static String prometheus(String dropwizardName) {
        return dropwizardName.replaceAll("[^a-zA-Z0-9:_]", "_");
    }

    private static Properties properties(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        return properties;
    }
}
