package dev.tokentrail.dist;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Real Keycloak from its distribution zip: unpacked once into a cache directory (a later run
 * reuses it, and Keycloak skips its rebuild when the provider jar is unchanged), the Tokentrail
 * provider jar in {@code providers/}, the demo realm imported, {@code kc.sh start-dev} on 127.0.0.1.
 */
final class KeycloakComponent implements Component {

    static final String NODE = "sandbox";

    private final Path zip;
    private final Path cacheDir;
    private final Path providerJar;
    private final DemoRealm realm;
    private final String viewerUrl;
    private final Path dataRoot;
    private final int httpPort;
    private final int managementPort;
    private final Path log;
    private ServerProcess process;
    private Path home;
    private Duration startTime;

    KeycloakComponent(Path zip, Path cacheDir, Path providerJar, DemoRealm realm, String viewerUrl, Path dataRoot,
                      int httpPort, int managementPort, Path log) {
        this.zip = zip;
        this.cacheDir = cacheDir;
        this.providerJar = providerJar;
        this.realm = realm;
        this.viewerUrl = viewerUrl;
        this.dataRoot = dataRoot;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.log = log;
    }

    @Override
    public String name() {
        return "Keycloak";
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    String realmUrl() {
        return baseUrl() + "/realms/" + DemoRealm.NAME;
    }

    Duration startTime() {
        return startTime;
    }

    /** The shard the listener writes: {@code <data root>/keycloak-<node>}. */
    Path shard() {
        return dataRoot.resolve("keycloak-" + NODE);
    }

    @Override
    public void start(Progress progress) throws Exception {
        home = unpack(progress);
        boolean providerChanged = installProvider();
        Path importDir = home.resolve("data/import");
        Files.createDirectories(importDir);
        Path realmFile = importDir.resolve(DemoRealm.NAME + ".json");
        Files.writeString(realmFile, realm.json(viewerUrl));
        List<String> cmd = List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--db=dev-mem", "--import-realm", "--http-host=127.0.0.1", "--http-port=" + httpPort,
                "--http-management-port=" + managementPort, "--health-enabled=true",
                "--spi-events-listener--tokentrail--data-root=" + dataRoot,
                "--spi-events-listener--tokentrail--node-name=" + NODE,
                "--spi-events-listener--tokentrail--commit-interval=500ms",
                "--log-level=INFO,dev.tokentrail.shaded.lucene.internal.vectorization:error");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", realm.adminPassword());
        // C1 only: Keycloak starts markedly faster on 2 cores, and a sandbox never runs hot.
        pb.environment().put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
        process = ServerProcess.start(pb, log);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
        try {
            startTime = progress.await(providerChanged ? "Keycloak (new provider jar: it rebuilds, 1-2 min)" : "Keycloak",
                    () -> http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200,
                    process::alive, Duration.ofMinutes(5), () -> process.logTail(60));
        } finally {
            // The realm file holds the demo passwords and secrets: it must not outlive the import.
            Files.deleteIfExists(realmFile);
        }
    }

    /** Unpacks the zip into the cache unless an earlier run did; returns the Keycloak home. */
    private Path unpack(Progress progress) throws IOException {
        String top;
        try (ZipFile z = new ZipFile(zip.toFile())) {
            ZipEntry first = z.entries().nextElement();
            top = first.getName().split("/")[0];
            Path home = cacheDir.resolve(top);
            if (Files.exists(home.resolve(".tokentrail-unpacked"))) {
                return home;
            }
            progress.say("  unpacking " + zip.getFileName() + " into " + cacheDir + " (once)");
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempDirectory(cacheDir, ".unpack-");
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                Path to = tmp.resolve(e.getName()).normalize();
                if (!to.startsWith(tmp)) {
                    throw new IOException("zip entry outside the target: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    try (InputStream in = z.getInputStream(e)) {
                        Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            try (Stream<Path> bin = Files.list(tmp.resolve(top).resolve("bin"))) {
                bin.filter(p -> p.toString().endsWith(".sh")).forEach(p -> p.toFile().setExecutable(true));
            }
            deleteTree(home);
            Files.move(tmp.resolve(top), home);
            deleteTree(tmp);
            Files.writeString(home.resolve(".tokentrail-unpacked"), zip.toString());
            return home;
        }
    }

    /**
     * Copies the provider jar unless one with the same entries is already there: a changed jar costs
     * Keycloak a ~1 min rebuild, and every Maven build re-packs the jar with new timestamps.
     */
    private boolean installProvider() throws IOException {
        Path providers = home.resolve("providers");
        Files.createDirectories(providers);
        Path target = providers.resolve("tokentrail-keycloak-event-listener.jar");
        if (Files.exists(target) && entries(target).equals(entries(providerJar))) {
            return false;
        }
        try (Stream<Path> old = Files.list(providers)) {
            for (Path p : old.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.delete(p);
            }
        }
        Files.copy(providerJar, target);
        return true;
    }

    /** A jar's content ignoring timestamps: every file entry's name, size and CRC. */
    static java.util.SortedSet<String> entries(Path jar) throws IOException {
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                if (!e.isDirectory()) {
                    out.add(e.getName() + " " + e.getSize() + " " + Long.toHexString(e.getCrc()));
                }
            }
        }
        return out;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    String logTail(int lines) {
        return process == null ? "" : process.logTail(lines);
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop(60);
        }
    }
}
