package org.rcptguard.cassandra;

import java.net.InetSocketAddress;
import java.util.Properties;

import org.rcptguard.cassandra.testing.CassandraExtension;

/** {@link CassandraStoreConfiguration}s pointing at the test node and the test class's keyspace. */
final class TestConfigurations {
    private TestConfigurations() {
    }

    /** The node of {@code cassandra}, its data center, the class's keyspace, then {@code keyValues} on top. */
    static CassandraStoreConfiguration forExtension(CassandraExtension cassandra, String... keyValues) {
        InetSocketAddress contactPoint = cassandra.node().contactPoint();
        Properties properties = new Properties();
        properties.setProperty(CassandraStoreConfiguration.CONTACT_POINTS,
            contactPoint.getHostString() + ":" + contactPoint.getPort());
        properties.setProperty(CassandraStoreConfiguration.LOCAL_DATACENTER, cassandra.localDatacenter());
        properties.setProperty(CassandraStoreConfiguration.KEYSPACE, cassandra.keyspace());
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return CassandraStoreConfiguration.fromProperties(properties);
    }
}
