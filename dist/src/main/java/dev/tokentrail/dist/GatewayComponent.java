package dev.tokentrail.dist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real Gravitee APIM 4.10.9 gateway (the tests SDK's container, started from a plain
 * {@code main()}: {@code dist/gateway-runner}) in <b>its own JVM</b>, with its own classpath (Vert.x,
 * Spring, Gravitee's Jackson never meet dist's or the viewer's).
 *
 * <p>Its home {@code <work>/gateway/home/tokentrail-gateway} is written at each start and put on
 * the gateway's classpath as a directory (the SDK reads its home and the API definitions as
 * classpath resources): {@code config/gravitee.yml}, {@code plugins/} with the release's
 * {@code tokentrail-capture} zip and {@code gravitee-policy-jwt-7.0.1.zip} (loaded by the gateway's
 * plugin registry, as in production), an organization whose platform flow records every exchange
 * (also the plan's 401s) and the demo V4 API: a JWT plan validating Keycloak's RS256 tokens against
 * the realm's JWKS URL, in front of {@link DemoBackend}. The capture writes shard
 * {@code gateway-sandbox} into the shared data root (node settings as system properties).
 */
final class GatewayComponent implements Component {

    static final String NODE = "sandbox";
    static final String CONTEXT_PATH = "/demo";
    static final String MAIN = "dev.tokentrail.dist.gateway.SandboxGateway";
    private static final String HOME = "tokentrail-gateway";

    private final Path runnerDir;
    private final List<Path> pluginZips;
    private final Path workDir;
    private final Path dataRoot;
    private final String jwksUrl;
    private final String backendUrl;
    private final int port;
    private final Path log;
    private ServerProcess process;
    private Duration startTime;

    /**
     * @param runnerDir {@code dist/target/gateway-runner}: {@code classes/} and {@code classpath.txt}
     * @param pluginZips the zips for the gateway's {@code plugins/}
     */
    GatewayComponent(Path runnerDir, List<Path> pluginZips, Path workDir, Path dataRoot, String jwksUrl,
                     String backendUrl, int port, Path log) {
        this.runnerDir = runnerDir;
        this.pluginZips = List.copyOf(pluginZips);
        this.workDir = workDir;
        this.dataRoot = dataRoot;
        this.jwksUrl = jwksUrl;
        this.backendUrl = backendUrl;
        this.port = port;
        this.log = log;
    }

    @Override
    public String name() {
        return "Gravitee gateway";
    }

    /** The demo API's base URL on the gateway. */
    String apiUrl() {
        return "http://127.0.0.1:" + port + CONTEXT_PATH;
    }

    int port() {
        return port;
    }

    Duration startTime() {
        return startTime;
    }

    /** The zips the gateway needs, found in a directory (dist stages them in target/gateway-plugins). */
    static List<Path> pluginZips(Path dir) throws IOException {
        List<Path> zips;
        try (Stream<Path> s = Files.list(dir)) {
            zips = s.filter(p -> p.toString().endsWith(".zip")).sorted().toList();
        }
        if (zips.stream().noneMatch(p -> p.getFileName().toString().startsWith("gateway-policy-"))
                || zips.stream().noneMatch(p -> p.getFileName().toString().startsWith("gravitee-policy-jwt-"))) {
            throw new IllegalStateException("expected the tokentrail-capture and gravitee-policy-jwt zips in " + dir
                    + ", found " + zips + ": build first (./mvnw -pl dist -am package -DskipTests)");
        }
        return zips;
    }

    @Override
    public void start(Progress progress) throws Exception {
        Path cpRoot = workDir.resolve("home");
        Path home = cpRoot.resolve(HOME);
        deleteTree(home);
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("apis"));
        Files.createDirectories(dataRoot);
        Files.writeString(home.resolve("config/gravitee.yml"), resource("gravitee.yml"));
        Files.writeString(home.resolve("organization.json"), resource("organization.json"));
        Files.writeString(home.resolve("apis/demo-api.json"), resource("demo-api.json")
                .replace("@CONTEXT_PATH@", CONTEXT_PATH).replace("@BACKEND_URL@", backendUrl)
                .replace("@JWKS_URL@", jwksUrl));
        for (Path zip : pluginZips) {
            Files.copy(zip, home.resolve("plugins").resolve(zip.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }

        String classpath = String.join(java.io.File.pathSeparator, cpRoot.toString(),
                runnerDir.resolve("classes").toString(),
                Files.readString(runnerDir.resolve("classpath.txt")).strip());
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dtokentrail.data.root=" + dataRoot, "-Dtokentrail.node=" + NODE,
                "-Dtokentrail.commit.interval=500ms",
                "-cp", classpath, MAIN, String.valueOf(port), "/" + HOME + "/organization.json",
                "/" + HOME + "/apis/demo-api.json"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // The capture's node settings come from the command line only, never from the caller's environment.
        pb.environment().keySet().removeIf(k -> k.startsWith("TOKENTRAIL_"));
        process = ServerProcess.start(pb, log);
        startTime = progress.await("Gravitee gateway 4.10.9", this::ready, process::alive, Duration.ofMinutes(2),
                () -> process.logTail(60));
    }

    private boolean ready() throws IOException {
        return Files.exists(log) && Files.readString(log).contains("TOKENTRAIL-GATEWAY READY");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = GatewayComponent.class.getResourceAsStream("gateway/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource gateway/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
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
            process.stop(20);
        }
    }
}
