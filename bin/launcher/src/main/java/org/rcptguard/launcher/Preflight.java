package org.rcptguard.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Checks made before anything starts, so that a clash is named rather than found in a log. */
final class Preflight {
    private Preflight() {
    }

    /** Fails if something accepts connections on 127.0.0.1:port. */
    static void requireFree(int port, String what, String advice) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        } catch (IOException free) {
            return;
        }
        throw new LaunchFailure("port " + port + " on 127.0.0.1 is already in use (" + what + "): " + advice);
    }
}
