package dev.tokentrail.viewer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A viewer on a free loopback port over a data root, with an HTTP client that holds no cookies. */
final class RunningViewer implements AutoCloseable {

    static final String TOKEN = "test-local-token-0123456789abcdefghij";

    final Viewer viewer;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    RunningViewer(Path root) {
        this(root, FindingsOptions.defaults().withTiming(Duration.ofMillis(200), Duration.ofSeconds(1)));
    }

    /** Starts the viewer and waits for the findings task's first pass (the state rebuild) to be committed. */
    RunningViewer(Path root, FindingsOptions findings) {
        this(root, findings, new LiveConfig(Duration.ofMillis(200), null));
    }

    RunningViewer(Path root, FindingsOptions findings, LiveConfig live) {
        this.viewer = Viewer.start(new ViewerOptions(new ServerConfig(root, "127.0.0.1", 0, List.of(), "test"),
                new SecurityConfig(TOKEN, null, null, "metrics-token-0123456789abcdefghij"), live, findings));
        try {
            if (!viewer.findings().awaitFirstPass(Duration.ofSeconds(60))) {
                viewer.close();
                throw new IllegalStateException("the findings task did not finish its first pass");
            }
        } catch (InterruptedException e) {
            viewer.close();
            throw new IllegalStateException(e);
        }
    }

    String url(String path) {
        return viewer.baseUrl() + path;
    }

    HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + TOKEN));
    }

    HttpResponse<String> anonymous(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))));
    }

    HttpResponse<String> postJson(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    @Override
    public void close() {
        viewer.close();
    }
}
