package dev.tokentrail.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.mask.MaskingPolicy;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Header;
import dev.tokentrail.index.store.RecordCodec;
import io.gravitee.apim.gateway.tests.sdk.annotations.DeployApi;
import io.gravitee.apim.gateway.tests.sdk.annotations.GatewayTest;
import io.vertx.core.http.HttpMethod;
import io.vertx.rxjava3.core.http.HttpClient;
import io.vertx.rxjava3.core.http.HttpClientRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The policy on a keyless API in the real in-process gateway: what is captured, what is masked,
 * and that client and backend see exactly what they would without it.
 */
@GatewayTest
@DeployApi({"/apis/capture.json", "/apis/plain.json", "/apis/sampled.json"})
class CapturePolicyGatewayTest extends CaptureGatewayTestBase {

    /** The built-in masking alone, to show that what the API's configuration adds is not masked anyway. */
    private static final MaskingPolicy MASKED_BY_DEFAULT = MaskingPolicy.defaults(
            Fingerprinter.withKey("per-api-control-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void a_get_is_recorded_with_its_token_identity_peer_and_forwarding_chain_and_no_secret(HttpClient client) {
        wiremock.stubFor(get(urlPathEqualTo("/backend/orders/42")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("Set-Cookie", "KEYCLOAK_SESSION=" + TestTokens.SESSION_COOKIE + "; Path=/")
                .withBody("{\"id\":42,\"client_secret\":\"" + TestTokens.CLIENT_SECRET + "\"}")));

        Reply reply = fetch(client, "/capture/orders/42?access_token=" + TestTokens.QUERY_TOKEN + "&state=xyz", Map.of(
                "Authorization", "Bearer " + TestTokens.BOB_JWT,
                "X-Forwarded-For", "203.0.113.7, 10.0.0.2",
                "User-Agent", "tokentrail-test/1.0",
                "traceparent", TRACEPARENT,
                "X-Api-Key", TestTokens.API_KEY,
                "X-Tenant-Ref", TestTokens.TENANT_REF,
                "X-Forwarded-Access-Token", TestTokens.CAROL_JWT,
                "Cookie", "JSESSIONID=" + TestTokens.SESSION_COOKIE + "; theme=dark"));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).contains(TestTokens.CLIENT_SECRET); // the client gets the real body
        wiremock.verify(getRequestedFor(urlPathEqualTo("/backend/orders/42"))
                .withHeader("Authorization", equalTo("Bearer " + TestTokens.BOB_JWT)));

        Exchange e = awaitExchange(reply.requestId());
        assertThat(e.method()).isEqualTo("GET");
        assertThat(e.path()).isEqualTo("/capture/orders/42");
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.api()).isEqualTo("capture-api");
        assertThat(e.transactionId()).isNotBlank();
        assertThat(e.latency()).isNotNull();
        assertThat(e.node()).isEqualTo("test");
        assertThat(e.peer()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");
        assertThat(e.forwardedFor()).containsExactly("203.0.113.7", "10.0.0.2");
        assertThat(e.userAgent()).isEqualTo("tokentrail-test/1.0");
        assertThat(e.traceparent()).isEqualTo(TRACEPARENT);
        assertThat(e.query()).contains("state=xyz").doesNotContain(TestTokens.QUERY_TOKEN);

        TokenIdentity bob = e.tokens().stream().filter(t -> "jti-bob-0002".equals(t.jti())).findFirst().orElseThrow();
        assertThat(bob.kind()).isEqualTo(TokenIdentity.Kind.JWT);
        assertThat(bob.fingerprint()).isNotBlank();
        assertThat(bob.sub()).isEqualTo("bob-0002");
        assertThat(bob.sid()).isEqualTo("sess-bob-2");
        assertThat(e.tokens()).anySatisfy(t -> {
            assertThat(t.kind()).isEqualTo(TokenIdentity.Kind.OPAQUE);
            assertThat(t.fingerprint()).isNotBlank().isNotEqualTo(bob.fingerprint());
        });
        // The API's configured token header: identified like Authorization, stored as a reference.
        TokenIdentity carol = e.tokens().stream().filter(t -> "jti-carol-0003".equals(t.jti())).findFirst()
                .orElseThrow();
        assertThat(carol.kind()).isEqualTo(TokenIdentity.Kind.JWT);
        assertThat(carol.sid()).isEqualTo("sess-carol-3");
        assertThat(header(e.requestHeaders(), "X-Forwarded-Access-Token")).contains(carol.fingerprint());
        // Masked only because this API's configuration names it: the defaults would keep it.
        assertThat(MASKED_BY_DEFAULT.maskHeaders(List.of(new Header("X-Tenant-Ref", TestTokens.TENANT_REF))))
                .extracting(Header::value).containsExactly(TestTokens.TENANT_REF);
        assertThat(header(e.requestHeaders(), "X-Tenant-Ref")).isEqualTo("«masked:X-Tenant-Ref»");

        assertThat(headerNames(e.requestHeaders()))
                .contains("authorization", "x-api-key", "x-tenant-ref", "cookie", "x-forwarded-for");
        assertThat(header(e.requestHeaders(), "Cookie")).contains("theme").doesNotContain(TestTokens.SESSION_COOKIE);
        assertThat(header(e.responseHeaders(), "Set-Cookie")).contains("KEYCLOAK_SESSION")
                .doesNotContain(TestTokens.SESSION_COOKIE);
        assertThat(e.responseBody().text()).contains("\"id\":42").doesNotContain(TestTokens.CLIENT_SECRET);
        assertNoRawSecret(e);
    }

    @Test
    void a_json_post_reaches_the_backend_intact_and_is_stored_masked(HttpClient client) {
        String login = "{\"username\":\"alice\",\"password\":\"" + TestTokens.PASSWORD + "\",\"pin\":\""
                + TestTokens.PIN + "\",\"iban\":\"" + TestTokens.IBAN + "\"}";
        wiremock.stubFor(post(urlPathEqualTo("/backend/login")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"token_type\":\"Bearer\",\"access_token\":\"" + TestTokens.BOB_JWT + "\"}")));

        Reply reply = send(client, HttpMethod.POST, "/capture/login", Map.of("Content-Type", "application/json"),
                login.getBytes(StandardCharsets.UTF_8));

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.text()).contains(TestTokens.BOB_JWT);
        wiremock.verify(postRequestedFor(urlPathEqualTo("/backend/login")).withRequestBody(equalTo(login)));

        Exchange e = awaitExchange(reply.requestId());
        assertThat(e.method()).isEqualTo("POST");
        assertThat(e.status()).isEqualTo(201);
        assertThat(e.requestBody().form()).isEqualTo(Body.Form.TEXT);
        assertThat(e.requestBody().contentType()).startsWith("application/json");
        assertThat(e.requestBody().originalSize()).isEqualTo(login.length());
        assertThat(e.requestBody().text()).contains("alice").contains("password").contains("pin")
                .doesNotContain(TestTokens.PASSWORD).doesNotContain(TestTokens.PIN)
                .contains("\"iban\":\"«masked:iban»\"");
        // "iban" is masked by this API's configuration only: the defaults keep it.
        byte[] iban = ("{\"iban\":\"" + TestTokens.IBAN + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(MASKED_BY_DEFAULT.body(iban, iban.length, iban.length, "application/json", null).text())
                .contains(TestTokens.IBAN);
        assertThat(e.responseBody().text()).contains("token_type").doesNotContain(TestTokens.BOB_JWT);
        assertNoRawSecret(e);
    }

    @Test
    void big_bodies_reach_both_ends_whole_while_the_record_keeps_a_prefix_and_the_size(HttpClient client) {
        byte[] request = jsonOfSize(200 * 1024, 'q');
        byte[] response = jsonOfSize(1024 * 1024, 'r');
        wiremock.stubFor(post(urlPathEqualTo("/backend/upload")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(response)));

        Reply reply = send(client, HttpMethod.POST, "/capture/upload", Map.of("Content-Type", "application/json"),
                request);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).hasSize(response.length);
        assertThat(Arrays.equals(reply.body(), response)).as("client got every response byte").isTrue();
        List<LoggedRequest> received = wiremock.findAll(postRequestedFor(urlPathEqualTo("/backend/upload")));
        assertThat(received).hasSize(1);
        assertThat(Arrays.equals(received.get(0).getBody(), request)).as("backend got every request byte").isTrue();

        Exchange e = awaitExchange(reply.requestId());
        int limit = 16 * 1024;
        assertThat(e.requestBody().originalSize()).isEqualTo(request.length);
        assertThat(e.requestBody().truncated()).isTrue();
        assertThat(e.requestBody().text()).startsWith("{\"data\":\"qqqq");
        assertThat(e.requestBody().text().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(limit + 256);
        assertThat(e.responseBody().originalSize()).isEqualTo(response.length);
        assertThat(e.responseBody().truncated()).isTrue();
        assertThat(e.responseBody().text()).startsWith("{\"data\":\"rrrr");
        assertThat(e.responseBody().text().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(limit + 256);
    }

    @Test
    void client_and_server_errors_are_recorded_with_their_status(HttpClient client) {
        wiremock.stubFor(get(urlPathEqualTo("/backend/missing")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"not_found\"}")));
        wiremock.stubFor(get(urlPathEqualTo("/backend/broken")).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "text/plain").withBody("upstream down")));

        Reply notFound = fetch(client, "/capture/missing", Map.of("Authorization", "Bearer " + TestTokens.BOB_JWT));
        Reply broken = fetch(client, "/capture/broken", Map.of());

        assertThat(notFound.status()).isEqualTo(404);
        assertThat(broken.status()).isEqualTo(503);
        Exchange e404 = awaitExchange(notFound.requestId());
        Exchange e503 = awaitExchange(broken.requestId());
        assertThat(e404.status()).isEqualTo(404);
        assertThat(e404.responseBody().text()).contains("not_found");
        assertThat(e404.token()).isNotNull();
        assertThat(e503.status()).isEqualTo(503);
        assertThat(e503.responseBody().text()).isEqualTo("upstream down");
    }

    @Test
    void responses_without_a_body_are_recorded_too(HttpClient client) {
        wiremock.stubFor(any(urlPathEqualTo("/backend/items/7")).willReturn(aResponse().withStatus(204)));
        wiremock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.head(urlPathEqualTo("/backend/items/8"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")));

        Reply deleted = send(client, HttpMethod.DELETE, "/capture/items/7", Map.of(), null);
        Reply head = send(client, HttpMethod.HEAD, "/capture/items/8", Map.of(), null);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(head.status()).isEqualTo(200);
        Exchange d = awaitExchange(deleted.requestId());
        Exchange h = awaitExchange(head.requestId());
        assertThat(d.method()).isEqualTo("DELETE");
        assertThat(d.status()).isEqualTo(204);
        assertThat(d.responseBody().absent()).isTrue();
        assertThat(h.method()).isEqualTo("HEAD");
        assertThat(h.status()).isEqualTo(200);
    }

    @Test
    void skipped_paths_are_not_recorded(HttpClient client) {
        wiremock.stubFor(get(urlPathEqualTo("/backend/health")).willReturn(aResponse().withStatus(200).withBody("ok")));
        wiremock.stubFor(get(urlPathEqualTo("/backend/after-health")).willReturn(aResponse().withStatus(200)));

        Reply health = fetch(client, "/capture/health", Map.of());
        Reply after = fetch(client, "/capture/after-health", Map.of());

        assertThat(health.status()).isEqualTo(200);
        awaitExchange(after.requestId());
        assertThat(recorded(health.requestId())).isFalse();
    }

    @Test
    void sampling_leaves_out_successes_but_always_keeps_errors(HttpClient client) {
        wiremock.stubFor(get(urlPathEqualTo("/backend/fine")).willReturn(aResponse().withStatus(200)));
        wiremock.stubFor(get(urlPathEqualTo("/backend/fails")).willReturn(aResponse().withStatus(500)));
        long before = NodeRecorder.get().stats().notSampled();

        Reply fine = fetch(client, "/sampled/fine", Map.of());
        Reply fails = fetch(client, "/sampled/fails", Map.of());

        assertThat(fine.status()).isEqualTo(200);
        assertThat(fails.status()).isEqualTo(500);
        assertThat(awaitExchange(fails.requestId()).status()).isEqualTo(500);
        assertThat(recorded(fine.requestId())).isFalse();
        assertThat(NodeRecorder.get().stats().notSampled()).isGreaterThan(before);
    }

    @Test
    void a_server_sent_event_stream_keeps_its_timing_and_its_first_bytes_are_recorded(HttpClient client) {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            events.append("id: ").append(i).append("\nevent: tick\ndata: {\"n\":").append(i).append("}\n\n");
        }
        wiremock.stubFor(get(urlPathEqualTo("/backend/events")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withHeader("Cache-Control", "no-cache")
                .withBody(events.toString()).withChunkedDribbleDelay(5, 2500)));

        Stream baseline = stream(client, "/plain/events");
        Stream captured = stream(client, "/capture/events");

        assertThat(baseline.body()).isEqualTo(events.toString());
        assertThat(captured.body()).isEqualTo(events.toString());
        // Loose on purpose: a buffering policy delays the first byte to the end of the stream (~2.5 s).
        assertThat(captured.firstByteMillis()).as("first byte with the policy vs %d ms without", baseline.firstByteMillis())
                .isLessThan(baseline.firstByteMillis() + 500);
        Exchange e = awaitExchange(captured.requestId());
        assertThat(e.responseBody().contentType()).startsWith("text/event-stream");
        assertThat(e.responseBody().originalSize()).isEqualTo(events.length());
        assertThat(e.responseBody().text()).startsWith("id: 0\nevent: tick");
    }

    record Stream(String requestId, long firstByteMillis, String body) {
    }

    private static Stream stream(HttpClient client, String uri) {
        long start = System.nanoTime();
        AtomicLong first = new AtomicLong(-1);
        StringBuilder body = new StringBuilder();
        String[] id = new String[1];
        client.rxRequest(HttpMethod.GET, uri)
                .flatMap(HttpClientRequest::rxSend)
                .flatMapPublisher(res -> {
                    id[0] = res.getHeader("X-Gravitee-Request-Id");
                    return res.toFlowable();
                })
                .doOnNext(b -> {
                    first.compareAndSet(-1, (System.nanoTime() - start) / 1_000_000);
                    body.append(b.toString(StandardCharsets.UTF_8));
                })
                .blockingSubscribe();
        return new Stream(id[0], first.get(), body.toString());
    }

    private static byte[] jsonOfSize(int size, char fill) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) fill);
        byte[] head = "{\"data\":\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, b, 0, head.length);
        b[size - 2] = '"';
        b[size - 1] = '}';
        return b;
    }

    static List<String> headerNames(List<Header> headers) {
        return headers.stream().map(h -> h.name().toLowerCase(java.util.Locale.ROOT)).toList();
    }

    static String header(List<Header> headers, String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " header in " + headers));
    }

    /** The whole record, as the index stores it, holds none of the raw secrets any test sends. */
    static void assertNoRawSecret(Exchange e) {
        String json = RecordCodec.toJson(e);
        for (String secret : TestTokens.all()) {
            assertThat(json).doesNotContain(secret);
        }
        for (String signature : TestTokens.signatures()) {
            assertThat(json).doesNotContain(signature);
        }
    }
}
