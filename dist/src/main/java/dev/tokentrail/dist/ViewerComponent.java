package dev.tokentrail.dist;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The release's viewer jar in its own JVM, logging in through the demo realm (OIDC mode). */
final class ViewerComponent implements Component {

    private final Path jar;
    private final Path dataRoot;
    private final int port;
    private final String issuer;
    private final Path log;
    private ServerProcess process;

    ViewerComponent(Path jar, Path dataRoot, int port, String issuer, Path log) {
        this.jar = jar;
        this.dataRoot = dataRoot;
        this.port = port;
        this.issuer = issuer;
        this.log = log;
    }

    @Override
    public String name() {
        return "viewer";
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void start(Progress progress) throws Exception {
        java.nio.file.Files.createDirectories(dataRoot);
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", jar.toString(), "--data", dataRoot.toString(), "--port", String.valueOf(port),
                "--public-url", url(), "--oidc-issuer", issuer, "--oidc-client-id", DemoRealm.VIEWER_CLIENT,
                "--oidc-role", DemoRealm.AUDITOR_ROLE, "--refresh", "PT0.5S",
                // Every shard of the sandbox commits every 500 ms: findings can follow within seconds
                // instead of the production default's 20 s lag.
                "--findings-interval", "PT1S", "--findings-lag", "PT3S"));
        pb.environment().remove("TOKENTRAIL_VIEWER_TOKEN");
        process = ServerProcess.start(pb, log);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI login = URI.create(url() + "/login");
        progress.await("viewer", () -> http.send(HttpRequest.newBuilder(login).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() < 500,
                process::alive, Duration.ofMinutes(2), () -> process.logTail(40));
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
