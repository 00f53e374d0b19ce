package dev.tokentrail.keycloak.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A real Keycloak from the unpacked distribution, on 127.0.0.1 and free ports, started with
 * {@code kc.sh start-dev} and stopped with SIGTERM. Used by the IT (once per run) and the bench.
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "it-admin-Pw-31x";

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final int managementPort;
    private volatile Duration startTime;
    /** Stops the server should the test JVM end (or be told to end) without closing it. */
    private final Thread shutdownHook;

    private KeycloakServer(Process process, Path log, int httpPort, int managementPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.shutdownHook = new Thread(this::stop, "keycloak-" + process.pid() + "-stopper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The unpacked distribution the build prepared ({@code target/keycloak/keycloak-<version>}). */
    public static Path home() {
        return Path.of(required("tokentrail.keycloak.home"));
    }

    /** The shaded provider jar the build just made: exactly what operators copy. */
    public static Path providerJar() {
        return Path.of(required("tokentrail.provider.jar"));
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("System property " + property + " is not set: run through Maven"
                    + " (./mvnw -pl keycloak-event-listener verify)");
        }
        return v;
    }

    /** Replaces everything in providers/ with the given jars. */
    public static void installProviders(Path home, List<Path> jars) throws IOException {
        Path providers = home.resolve("providers");
        Files.createDirectories(providers);
        try (Stream<Path> old = Files.list(providers)) {
            for (Path p : old.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.delete(p);
            }
        }
        for (Path jar : jars) {
            Files.copy(jar, providers.resolve(jar.getFileName()));
        }
    }

    /** Packs test classes into a provider jar with its services file. */
    public static Path testProviderJar(Path target, String serviceInterface, Class<?> factory) throws IOException {
        Path classes = Path.of(factory.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path jar = target.resolve("tokentrail-it-" + factory.getSimpleName() + ".jar");
        String prefix = factory.getName().replace('.', '/');
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes.resolve(prefix).getParent())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                if (name.startsWith(prefix)) {
                    out.putNextEntry(new JarEntry(name));
                    out.write(Files.readAllBytes(f));
                    out.closeEntry();
                }
            }
            out.putNextEntry(new JarEntry("META-INF/services/" + serviceInterface));
            out.write((factory.getName() + "\n").getBytes());
            out.closeEntry();
        }
        return jar;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kc.sh start-dev} on 127.0.0.1 and the given ports, with the harness's environment. */
    private static ProcessBuilder command(Path home, Path log, int http, int management, List<String> extraArgs,
                                          Map<String, String> extraEnv) {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--db=dev-mem", "--import-realm", "--http-host=127.0.0.1", "--http-port=" + http,
                "--http-management-port=" + management, "--health-enabled=true", "--metrics-enabled=true"));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        String javaHome = System.getProperty("tokentrail.java.home", System.getProperty("java.home"));
        pb.environment().put("JAVA_HOME", javaHome);
        pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        pb.environment().putAll(extraEnv);
        return pb;
    }

    private static boolean ready(HttpClient client, int management) throws InterruptedException {
        try {
            var r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management
                    + "/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException notYet) {
            return false; // not listening yet
        }
    }

    /**
     * Starts {@code kc.sh start-dev} with the given extra arguments and waits for
     * {@code /health/ready} on the management port.
     */
    public static KeycloakServer start(Path home, Path log, List<String> extraArgs, Map<String, String> extraEnv,
                                       Duration timeout) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        KeycloakServer server = launch(home, log, extraArgs, extraEnv);
        Process p = server.process;
        int management = server.managementPort;
        long deadline = t0 + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("Keycloak exited with " + p.exitValue()
                            + " before it was ready:\n" + server.logTail(80));
                }
                if (ready(PROBE, management)) {
                    server.startTime = Duration.ofNanos(System.nanoTime() - t0);
                    return server;
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException("Keycloak not ready within " + timeout + ":\n" + server.logTail(80));
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
    }

    /** Runs {@code kc.sh start-dev} on two free ports; the caller waits for it to be ready or to exit. */
    private static KeycloakServer launch(Path home, Path log, List<String> extraArgs, Map<String, String> extraEnv)
            throws IOException {
        int http = freePort();
        int management = freePort();
        return new KeycloakServer(command(home, log, http, management, extraArgs, extraEnv).start(), log, http,
                management);
    }

    /** Readiness probes: short connect timeout, the start loops retry. */
    private static final HttpClient PROBE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** How a start that was expected to fail ended. */
    public record Exit(int code, boolean becameReady, Duration elapsed, String output, List<String> leftBehind) {}

    /**
     * Runs {@code kc.sh start-dev} expecting it to stop by itself before it is ready (a refused
     * configuration). Should it become ready or outlive {@code timeout}, it is stopped and that is
     * reported. Either way no process of this start is alive when this returns: {@code leftBehind}
     * lists any that had to be killed after the script itself had exited.
     */
    public static Exit startExpectingExit(Path home, Path log, List<String> extraArgs, Map<String, String> extraEnv,
                                          Duration timeout) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        KeycloakServer server = launch(home, log, extraArgs, extraEnv);
        Process p = server.process;
        int management = server.managementPort;
        boolean becameReady = false;
        try {
            long deadline = t0 + timeout.toNanos();
            while (p.isAlive() && System.nanoTime() < deadline) {
                if (ready(PROBE, management)) {
                    becameReady = true;
                    break;
                }
                p.waitFor(250, TimeUnit.MILLISECONDS);
            }
        } finally {
            if (p.isAlive()) {
                server.close();
            }
        }
        p.waitFor(30, TimeUnit.SECONDS);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        int code = p.isAlive() ? Integer.MIN_VALUE : p.exitValue();
        List<ProcessHandle> alive = new ArrayList<>(server.leftovers());
        if (p.isAlive()) {
            alive.add(p.toHandle());
        }
        List<String> left = new ArrayList<>();
        for (ProcessHandle h : alive) {
            left.add(h.pid() + " " + h.info().command().orElse("?"));
            h.destroyForcibly();
        }
        server.close();
        return new Exit(code, becameReady, elapsed, server.logText(), left);
    }
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public Duration startTime() {
        return startTime;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The processes of this start still alive: kc.sh's descendants, and any JVM that kc.sh
     * launched ({@code -Dkc.script.pid=<its pid>}) even if it was orphaned.
     */
    public List<ProcessHandle> leftovers() {
        String marker = "-Dkc.script.pid=" + process.pid() + " ";
        List<ProcessHandle> out = new ArrayList<>(process.descendants().filter(ProcessHandle::isAlive).toList());
        ProcessHandle.allProcesses()
                .filter(h -> h.pid() != process.pid() && out.stream().noneMatch(o -> o.pid() == h.pid()))
                .filter(h -> h.isAlive() && h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .forEach(out::add);
        return out;
    }

    /** SIGTERM, as an orchestrator stops Keycloak: the listener's close() drains and commits. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it stops the server too
        }
        stop();
    }

    private void stop() {
        if (!process.isAlive() && leftovers().isEmpty()) {
            return;
        }
        List<ProcessHandle> children = leftovers();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                children.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            for (ProcessHandle c : children) {
                c.onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
