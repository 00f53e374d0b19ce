package dev.tokentrail.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * The whole Tokentrail stack on 127.0.0.1 around one data root: Keycloak with the listener and the
 * demo realm, the demo backend, the real Gravitee gateway in front of it ({@link GatewayComponent},
 * its own JVM, JWT plan against the realm's JWKS, the capture policy writing {@code gateway-sandbox}),
 * the viewer. Started in order; {@link #close()} stops everything that was started, in reverse
 * order, also after a failed start.
 */
public final class Stack implements AutoCloseable {

    /** Where things are and which ports to use (0 = any free port). */
    public record Config(Path workDir, Path cacheDir, Path keycloakZip, Path releaseDir,
                         int keycloakPort, int keycloakManagementPort, int backendPort, int viewerPort,
                         Path gatewayRunnerDir, Path gatewayPluginsDir, int gatewayPort) {

        /** From system properties set by the build (see dist/pom.xml), with the sandbox's fixed default ports. */
        public static Config fromSystemProperties(Map<String, Integer> defaultPorts) {
            return new Config(Path.of(required("tokentrail.work.dir")),
                    Path.of(System.getProperty("tokentrail.cache", required("tokentrail.work.dir") + "/cache")),
                    Path.of(required("tokentrail.keycloak.zip")), Path.of(required("tokentrail.release.dir")),
                    port("keycloak", defaultPorts), port("keycloak.management", defaultPorts),
                    port("backend", defaultPorts), port("viewer", defaultPorts),
                    Path.of(required("tokentrail.gateway.runner")), Path.of(required("tokentrail.gateway.plugins")),
                    port("gateway", defaultPorts));
        }

        private static int port(String name, Map<String, Integer> defaults) {
            return Integer.getInteger("tokentrail.port." + name, defaults.getOrDefault(name, 0));
        }

        private static String required(String property) {
            String v = System.getProperty(property);
            if (v == null || v.isBlank()) {
                throw new IllegalStateException("System property " + property + " is not set: start through Maven"
                        + " (./sandbox.sh, or ./mvnw -pl dist verify for the end-to-end test)");
            }
            return v;
        }
    }

    private final Deque<Component> started = new ArrayDeque<>();
    private final DemoRealm realm = DemoRealm.random();
    private volatile boolean closed;
    private Path dataRoot;
    private Path logs;
    private KeycloakComponent keycloak;
    private DemoBackend backend;
    private GatewayComponent gateway;
    private ViewerComponent viewer;

    /** A stack with fresh demo credentials and nothing started: register {@link #close()} first, then {@link #start}. */
    public Stack() {
    }

    /** Starts every component; on failure stops what was started and rethrows. */
    public Stack start(Config c, Progress progress) throws Exception {
        dataRoot = c.workDir().resolve("data");
        logs = c.workDir().resolve("logs");
        Files.createDirectories(dataRoot);
        Files.createDirectories(logs);
        int kc = Ports.claim("Keycloak", "tokentrail.port.keycloak", c.keycloakPort());
        int kcm = Ports.claim("Keycloak management", "tokentrail.port.keycloak.management", c.keycloakManagementPort());
        int be = Ports.claim("demo backend", "tokentrail.port.backend", c.backendPort());
        int vp = Ports.claim("viewer", "tokentrail.port.viewer", c.viewerPort());
        int gw = Ports.claim("gateway", "tokentrail.port.gateway", c.gatewayPort());
        try {
            String viewerUrl = "http://127.0.0.1:" + vp;
            keycloak = run(new KeycloakComponent(c.keycloakZip(), c.cacheDir(), providerJar(c.releaseDir()), realm,
                    viewerUrl, dataRoot, kc, kcm, logs.resolve("keycloak.log")), progress);
            backend = run(new DemoBackend(be), progress);
            gateway = run(new GatewayComponent(c.gatewayRunnerDir(), GatewayComponent.pluginZips(c.gatewayPluginsDir()),
                    c.workDir().resolve("gateway"), dataRoot, keycloak.realmUrl() + "/protocol/openid-connect/certs",
                    backend.url(), gw, logs.resolve("gateway.log")), progress);
            viewer = run(new ViewerComponent(c.releaseDir().resolve("viewer/tokentrail-viewer.jar"), dataRoot, vp,
                    keycloak.realmUrl(), logs.resolve("viewer.log")), progress);
            return this;
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private static Path providerJar(Path releaseDir) throws java.io.IOException {
        try (var jars = Files.list(releaseDir.resolve("keycloak"))) {
            return jars.filter(p -> p.toString().endsWith(".jar")).findFirst().orElseThrow(() ->
                    new IllegalStateException("no provider jar in " + releaseDir.resolve("keycloak")
                            + ": build it first (./mvnw -pl dist -am package -DskipTests)"));
        }
    }

    private <C extends Component> C run(C component, Progress progress) throws Exception {
        synchronized (started) {
            if (closed) {
                throw new InterruptedException("stopped while starting");
            }
            started.push(component);
        }
        component.start(progress);
        return component;
    }

    public DemoRealm realm() {
        return realm;
    }

    public Path dataRoot() {
        return dataRoot;
    }

    public Path logs() {
        return logs;
    }

    public String keycloakUrl() {
        return keycloak.baseUrl();
    }

    public String realmUrl() {
        return keycloak.realmUrl();
    }

    public Duration keycloakStartTime() {
        return keycloak.startTime();
    }

    public String backendUrl() {
        return backend.url();
    }

    /** Where API calls go: the demo API on the gateway. */
    public String apiUrl() {
        return gateway.apiUrl();
    }

    public int gatewayPort() {
        return gateway.port();
    }

    public Duration gatewayStartTime() {
        return gateway == null ? null : gateway.startTime();
    }

    public String gatewayLogTail(int lines) {
        return gateway == null ? "" : gateway.logTail(lines);
    }

    public String viewerUrl() {
        return viewer.url();
    }

    public String keycloakLogTail(int lines) {
        return keycloak == null ? "" : keycloak.logTail(lines);
    }

    public String viewerLogTail(int lines) {
        return viewer == null ? "" : viewer.logTail(lines);
    }

    /** Stops every started component, newest first. Safe to call twice. */
    @Override
    public void close() {
        closed = true;
        synchronized (started) {
            stopAll();
        }
    }

    private void stopAll() {
        while (!started.isEmpty()) {
            Component c = started.pop();
            try {
                c.close();
            } catch (RuntimeException e) {
                System.err.println("stopping " + c.name() + " failed: " + e);
            }
        }
    }
}
