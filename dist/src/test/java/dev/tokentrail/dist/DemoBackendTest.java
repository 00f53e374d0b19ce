package dev.tokentrail.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo backend alone: it reads every request body to its end before answering. */
class DemoBackendTest {

    private static final int SIZE = 5 * 1024 * 1024;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private DemoBackend backend;

    @BeforeEach
    void start() throws Exception {
        backend = new DemoBackend(Ports.claim("backend", "-", 0));
        backend.start(new Progress(new PrintStream(new ByteArrayOutputStream()), false));
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void a_multi_megabyte_upload_is_read_whole_and_counted() throws Exception {
        byte[] body = new byte[SIZE];
        Arrays.fill(body, (byte) 'x');
        HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofByteArray(body), "Bearer demo");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(json(r).get("received").asLong()).isEqualTo(SIZE);
    }

    @Test
    void a_chunked_upload_of_unknown_length_is_counted_too() throws Exception {
        byte[] body = new byte[SIZE + 7];
        HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
        assertThat(chunked.contentLength()).as("sent chunked").isNegative();
        HttpResponse<String> r = post(chunked, "Bearer demo");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(json(r).get("received").asLong()).isEqualTo(SIZE + 7);
    }

    @Test
    void a_refused_upload_is_read_whole_too_and_the_connection_stays_usable() throws Exception {
        HttpResponse<String> refused = post(HttpRequest.BodyPublishers.ofByteArray(new byte[SIZE]), null);
        assertThat(refused.statusCode()).isEqualTo(401);
        HttpResponse<String> next = post(HttpRequest.BodyPublishers.ofString("{\"item\":\"tea\"}"), "Bearer demo");
        assertThat(next.statusCode()).isEqualTo(201);
        assertThat(json(next).get("received").asLong()).isEqualTo(14);
    }

    private HttpResponse<String> post(HttpRequest.BodyPublisher body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(backend.url() + "/orders"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").POST(body);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Http.JSON.readTree(r.body());
    }
}
