package org.rcptguard.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rcptguard.core.RcptGuardSettings.HostPort;
import org.rcptguard.core.InvalidConfigurationException;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;

class CassandraStoreConfigurationTest {
    private static CassandraStoreConfiguration parse(String... keyValues) {
        Properties properties = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return CassandraStoreConfiguration.fromProperties(properties);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        CassandraStoreConfiguration defaults = CassandraStoreConfiguration.defaults();

        assertThat(defaults.contactPoints()).containsExactly(new HostPort("127.0.0.1", 9042));
        assertThat(defaults.localDatacenter()).isEqualTo("datacenter1");
        assertThat(defaults.keyspace()).isEqualTo("rcptguard");
        assertThat(defaults.replication()).isEqualTo(CassandraStoreConfiguration.Replication.simple(1));
        assertThat(defaults.replication().asCqlMap()).isEqualTo("{'class': 'SimpleStrategy', 'replication_factor': 1}");
        assertThat(defaults.readConsistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
        assertThat(defaults.writeConsistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_QUORUM);
        assertThat(defaults.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.credentials()).isEmpty();
        assertThat(defaults.useJamesSession()).isFalse();
    }

    @Test
    void readsEverySetting() {
        CassandraStoreConfiguration configuration = parse(
            "cassandra.contact.points", " 10.0.0.1:9142, cassandra-2.example.net ,[2001:db8::7]:9043",
            "cassandra.local.datacenter", "dc-paris.1",
            "cassandra.keyspace", "mx_state",
            "cassandra.replication", "NetworkTopologyStrategy:dc1=3, dc2=2",
            "cassandra.consistency.read", "local_one",
            "cassandra.consistency.write", "EACH_QUORUM",
            "cassandra.timeout", "250ms",
            "cassandra.username", "rcptguard",
            // James splits values at commas (trimming the parts); the value is joined back whole
            "cassandra.password", "s3cret,with,commas",
            "cassandra.session", "james",
            // not a cassandra.* key: RcptGuardConfiguration's business
            "greylist.delay", "5m");

        assertThat(configuration.contactPoints()).containsExactly(new HostPort("10.0.0.1", 9142),
            new HostPort("cassandra-2.example.net", 9042), new HostPort("2001:db8::7", 9043));
        assertThat(configuration.contactPoints()).extracting(HostPort::toString)
            .containsExactly("10.0.0.1:9142", "cassandra-2.example.net:9042", "[2001:db8::7]:9043");
        assertThat(configuration.localDatacenter()).isEqualTo("dc-paris.1");
        assertThat(configuration.keyspace()).isEqualTo("mx_state");
        assertThat(configuration.replication().strategy()).isEqualTo("NetworkTopologyStrategy");
        assertThat(configuration.replication().factors()).isEqualTo(Map.of("dc1", 3, "dc2", 2));
        assertThat(configuration.replication().asCqlMap()).isEqualTo("{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 2}");
        assertThat(configuration.replication()).hasToString("NetworkTopologyStrategy:dc1=3,dc2=2");
        assertThat(configuration.readConsistency()).isEqualTo(DefaultConsistencyLevel.LOCAL_ONE);
        assertThat(configuration.writeConsistency()).isEqualTo(DefaultConsistencyLevel.EACH_QUORUM);
        assertThat(configuration.timeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(configuration.credentials()).hasValueSatisfying(credentials -> {
            assertThat(credentials.username()).isEqualTo("rcptguard");
            assertThat(credentials.password()).isEqualTo("s3cret,with,commas");
        });
        assertThat(configuration.useJamesSession()).isTrue();
    }

    @Test
    void simpleStrategyTakesAReplicationFactor() {
        assertThat(parse("cassandra.replication", "SimpleStrategy:3").replication().asCqlMap())
            .isEqualTo("{'class': 'SimpleStrategy', 'replication_factor': 3}");
    }

    @Test
    void anyWriteLevelIncludingAnyIsAccepted() {
        for (String level : List.of("ANY", "ONE", "TWO", "THREE", "QUORUM", "ALL", "LOCAL_ONE", "LOCAL_QUORUM", "EACH_QUORUM")) {
            assertThat(parse("cassandra.consistency.write", level).writeConsistency().name()).isEqualTo(level);
        }
    }

    @Test
    void thePasswordNeverShows() {
        CassandraStoreConfiguration configuration = parse("cassandra.username", "u", "cassandra.password", "hunter2");

        assertThat(configuration.toString()).doesNotContain("hunter2").contains("username=u");
        assertThat(configuration.credentials().orElseThrow().toString()).doesNotContain("hunter2");
        assertThatThrownBy(() -> parse("cassandra.username", "u", "cassandra.password", ""))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("cassandra.password");
    }

    @Test
    void credentialsComeInPairs() {
        assertThatThrownBy(() -> parse("cassandra.username", "rcptguard"))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("cassandra.password");
        assertThatThrownBy(() -> parse("cassandra.password", "secret"))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("cassandra.username")
            .hasMessageNotContaining("secret");
    }

    @Test
    void anUnknownCassandraKeyIsRefused() {
        assertThatThrownBy(() -> parse("cassandra.contactpoints", "10.0.0.1"))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining("cassandra.contactpoints")
            .hasMessageContaining("cassandra.contact.points");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "cassandra.contact.points|''",
        "cassandra.contact.points|' , '",
        "cassandra.contact.points|10.0.0.1:99999",
        "cassandra.contact.points|10.0.0.1:port",
        "cassandra.contact.points|10.0.0.1;10.0.0.2",
        "cassandra.contact.points|2001:db8::1:9042",
        "cassandra.local.datacenter|''",
        "cassandra.local.datacenter|dc 1",
        "cassandra.keyspace|RcptGuard",
        "cassandra.keyspace|1rcptguard",
        "cassandra.keyspace|rcpt-guard",
        "cassandra.keyspace|rcptguard;DROP",
        "cassandra.keyspace|a_keyspace_name_that_is_much_longer_than_forty_eight_chars",
        "cassandra.replication|SimpleStrategy",
        "cassandra.replication|SimpleStrategy:0",
        "cassandra.replication|SimpleStrategy:three",
        "cassandra.replication|SimpleStrategy:100",
        "cassandra.replication|LocalStrategy:1",
        "cassandra.replication|NetworkTopologyStrategy:",
        "cassandra.replication|NetworkTopologyStrategy:dc1",
        "cassandra.replication|NetworkTopologyStrategy:dc1=3,dc1=2",
        "cassandra.replication|NetworkTopologyStrategy:dc1=3,,dc2=3",
        "cassandra.replication|NetworkTopologyStrategy:dc'1=3",
        "cassandra.consistency.read|STRONG",
        "cassandra.consistency.read|ANY",
        "cassandra.consistency.read|SERIAL",
        "cassandra.consistency.write|LOCAL_SERIAL",
        "cassandra.consistency.write|''",
        "cassandra.timeout|soon",
        "cassandra.timeout|0s",
        "cassandra.timeout|-1s",
        "cassandra.timeout|10m",
        "cassandra.username|' '",
        "cassandra.session|shared",
    })
    void badValuesNameTheirKey(String key, String value) {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        if (key.equals("cassandra.username")) {
            properties.setProperty("cassandra.password", "p");
        }

        assertThatThrownBy(() -> CassandraStoreConfiguration.fromProperties(properties))
            .isInstanceOf(InvalidConfigurationException.class)
            .hasMessageContaining(key);
    }

    @Test
    void serialLevelsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> parse("cassandra.consistency.read", "LOCAL_SERIAL"))
            .hasMessageContaining("lightweight transactions");
    }
}
