package org.rcptguard.james.identity;

import org.rcptguard.launcher.Dnsmasq;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A DNS server that never answers: a UDP socket on port 53 of a loopback address that takes every query and says
 * nothing (a closed port would answer at once with an ICMP error, which is not what a dead server looks like).
 */
final class SilentDnsServer implements AutoCloseable {
    private final DatagramSocket socket;

    SilentDnsServer() throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(Dnsmasq.freeLoopbackAddress(), Dnsmasq.DNS_PORT));
    }

    InetAddress address() {
        return socket.getLocalAddress();
    }

    @Override
    public void close() {
        socket.close();
    }
}
