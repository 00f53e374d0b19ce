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
 */
public record ServerConfig(Path dataRoot, String host, int port, List<String> allowedHosts) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8470;

    public ServerConfig {
        Objects.requireNonNull(dataRoot, "dataRoot");
        host = host == null || host.isBlank() ? DEFAULT_HOST : host.strip();
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    }

    public static ServerConfig of(Path dataRoot) {
        return new ServerConfig(dataRoot, DEFAULT_HOST, DEFAULT_PORT, List.of());
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(dataRoot, host, p, allowedHosts);
    }

    public ServerConfig withHost(String h) {
        return new ServerConfig(dataRoot, h, port, allowedHosts);
    }
}
