package org.rcptguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JamesConfTest {
    private static final String SMTP = "<smtpservers>\n"
        + "  <smtpserver><bind>127.0.0.1:2525, other-name:2525</bind></smtpserver>\n"
        + "  <smtpserver><bind>127.0.0.1:587</bind></smtpserver>\n"
        + "</smtpservers>\n";

    @Test
    void readsTheSmtpPortsInFileOrderAndTheWebAdminPort(@TempDir Path conf) throws Exception {
        Files.writeString(conf.resolve("smtpserver.xml"), SMTP);
        Files.writeString(conf.resolve("webadmin.properties"), "enabled=true\nport = 8080\n");

        assertThat(JamesConf.smtpPorts(conf)).containsExactly(2525, 587);
        assertThat(JamesConf.webAdminPort(conf)).isEqualTo(8080);
    }

    @Test
    void webAdminListensOnJamesDefaultPortWhenNoneIsSet(@TempDir Path conf) {
        assertThat(JamesConf.webAdminPort(conf)).isEqualTo(8000);
    }

    @Test
    void nodeBListensOnNodeAPortsPlusOneAndIpv6IsAddedToTheFirstBind(@TempDir Path conf) throws Exception {
        Files.writeString(conf.resolve("smtpserver.xml"), SMTP);
        Files.writeString(conf.resolve("webadmin.properties"), "port=8000\n");
        JamesConf.PortChoice plusOne = JamesConf.PortChoice.configuredPlus(1);

        assertThat(JamesConf.rewriteSmtpPorts(conf.resolve("smtpserver.xml"), plusOne, true)).containsExactly(2526, 588);
        assertThat(JamesConf.rewriteWebAdminPort(conf, plusOne)).isEqualTo(8001);

        assertThat(Files.readString(conf.resolve("smtpserver.xml")))
            .contains("<bind>127.0.0.1:2526, other-name:2526, rcptguard-ip6-loopback:2526</bind>", "<bind>127.0.0.1:588</bind>");
        assertThat(Files.readString(conf.resolve("webadmin.properties"))).isEqualTo("port=8001\n");
    }
}
