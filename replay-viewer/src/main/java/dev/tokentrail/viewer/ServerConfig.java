package dev.tokentrail.viewer;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where the viewer listens and what it reads.
 *
 * @param dataRoot     the data root holding every component's shard directory and the fingerprint key
 * @param host         interface to bind; loopback by default so nothing is exposed by accident
 * @param port         TCP port, 0 for any free one
 * @param allowedHosts extra {@code Host} header names accepted besides loopback and {@code host}: a
 *                     guard against DNS rebinding, which would otherwise let any web page talk to a
 *                     loopback server through a name it controls
 * @param node         this viewer's node name: its own shard (audit, findings) is {@code <root>/viewer-<node>}
 */
public record ServerConfig(Path dataRoot, String host, int port, List<String> allowedHosts, String node) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8470;

    public ServerConfig {
        Objects.requireNonNull(dataRoot, "dataRoot");
        host = host == null || host.isBlank() ? DEFAULT_HOST : host.strip();
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        node = node == null || node.isBlank() ? defaultNode() : node.strip();
    }

    public ServerConfig(Path dataRoot, String host, int port, List<String> allowedHosts) {
        this(dataRoot, host, port, allowedHosts, null);
    }

    /** The host name: two viewers on one data root need different nodes, since a shard has one writer. */
    static String defaultNode() {
        try {
            String h = java.net.InetAddress.getLocalHost().getHostName();
            return h == null || h.isBlank() ? "viewer" : h;
        } catch (java.io.IOException e) {
            return "viewer";
        }
    }

    public static ServerConfig of(Path dataRoot) {
        return new ServerConfig(dataRoot, DEFAULT_HOST, DEFAULT_PORT, List.of(), null);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(dataRoot, host, p, allowedHosts, node);
    }

    public ServerConfig withHost(String h) {
        return new ServerConfig(dataRoot, h, port, allowedHosts, node);
    }
}
