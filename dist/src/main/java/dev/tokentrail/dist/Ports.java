package dev.tokentrail.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback ports: a free one, or a check that a fixed one is not taken, with a message that says what to do. */
final class Ports {

    private Ports() {
    }

    static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 0 means any free port; otherwise the port must be free now. */
    static int claim(String what, String property, int port) {
        if (port == 0) {
            return free();
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return port;
        } catch (IOException busy) {
            throw new IllegalStateException("Port " + port + " (" + what + ") on 127.0.0.1 is in use. Stop what uses it"
                    + " (an earlier sandbox?) or pick another one: -D" + property + "=<port> (0 = any free port).");
        }
    }
}
