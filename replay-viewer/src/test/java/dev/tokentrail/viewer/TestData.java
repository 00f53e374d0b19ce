package dev.tokentrail.viewer;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Header;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import dev.tokentrail.index.store.ShardConfig;
import dev.tokentrail.index.store.ShardWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A small investigation written through the real {@link ShardWriter}: alice logs in at the IdP,
 * gets an access token (A1) and a refresh token (R1), calls the gateway with A1, refreshes to A2
 * (rotating R1 to R2) and calls again; plus the hostile rendering cases V1-V3 of bodies.md.
 * Stored values are what masking leaves (markers instead of secrets), as an adapter would write.
 */
final class TestData {

    static final String SESSION = "5b1c9a64-0d43-4c5e-9d6a-1f2e3d4c5b6a";
    static final String A1 = "a1a1a1a1-0000-4000-8000-000000000001";
    static final String A2 = "a2a2a2a2-0000-4000-8000-000000000002";
    static final String R1 = "r1r1r1r1-0000-4000-8000-000000000001";
    static final String R2 = "r2r2r2r2-0000-4000-8000-000000000002";
    static final String V1_BODY = "{\"comment\":\"<img src=x onerror=alert(1)>\"}";
    static final String V1_PATH = "/search";
    static final String V1_QUERY = "q=<script>alert(2)</script>";
    static final String V2_HEADER = "javascript:alert(3)";
    static final String V3_UA = "Mozilla/5.0 " + "X".repeat(10_000);

    /** What the fixture made. */
    record Made(String rawA1, String rawA2, String fingerprintA1, List<String> exchangeIds, String hostileId,
                Instant start, int records) {
    }

    static String jwt(String jti, String sub, Instant iat) {
        return jwt(jti, sub, SESSION, iat);
    }

    static String jwt(String jti, String sub, String sid, Instant iat) {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        String header = b.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b.encodeToString(("{\"jti\":\"" + jti + "\",\"sub\":\"" + sub + "\",\"sid\":\"" + sid
                + "\",\"azp\":\"shop-web\",\"iss\":\"https://idp.example/realms/shop\",\"typ\":\"Bearer\",\"iat\":"
                + iat.getEpochSecond() + ",\"exp\":" + (iat.getEpochSecond() + 300) + ",\"scope\":\"openid orders\"}")
                .getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".c2lnbmF0dXJlLWJ5dGVz";
    }

    static Made fill(Path root, Instant start) {
        Fingerprinter fp = Fingerprinter.forRoot(root);
        String rawA1 = jwt(A1, "alice", start);
        String rawA2 = jwt(A2, "alice", start.plusSeconds(120));
        TokenIdentity t1 = TokenIdentity.of(rawA1, "Bearer", fp);
        TokenIdentity t2 = TokenIdentity.of(rawA2, "Bearer", fp);

        List<ReplayRecord> events = List.of(
                event("ev-1", start, TokenEventType.SESSION_STARTED, "LOGIN", null, null, null, null),
                event("ev-2", start.plusMillis(10), TokenEventType.ISSUED, "CODE_TO_TOKEN", A1, R1, null, null),
                event("ev-3", start.plusSeconds(120), TokenEventType.REFRESHED, "REFRESH_TOKEN", A2, R1, R2, null),
                event("ev-4", start.plusSeconds(200), TokenEventType.ERROR, "REFRESH_TOKEN_ERROR", null, R1, null,
                        "invalid_grant"));
        List<ReplayRecord> exchanges = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = "x-a1-" + i;
            ids.add(id);
            exchanges.add(exchange(id, start.plusSeconds(10 + i * 10), t1, fp.reference(rawA1), "GET", "/orders/" + i,
                    null, i == 2 ? 404 : 200, Body.NONE, "curl/8.5"));
        }
        String post = "x-a1-post";
        ids.add(post);
        exchanges.add(exchange(post, start.plusSeconds(50), t1, fp.reference(rawA1), "POST", "/orders",
                "code=«masked:code»&state=xyz", 201,
                new Body("{\"item\":\"book\",\"password\":\"«masked:password»\",\"amount\":1e400}", 2048, true,
                        "application/json", null, Body.Form.TEXT), "curl/8.5"));
        for (int i = 0; i < 2; i++) {
            String id = "x-a2-" + i;
            ids.add(id);
            exchanges.add(exchange(id, start.plusSeconds(130 + i * 10), t2, fp.reference(rawA2), "GET", "/orders",
                    null, i == 1 ? 500 : 200, Body.NONE, "curl/8.5"));
        }
        String hostile = "x-hostile";
        exchanges.add(Exchange.builder(hostile, start.plusSeconds(60)).method("GET").scheme("https")
                .host("shop.example").path(V1_PATH).query(V1_QUERY).status(200)
                .latency(Duration.ofMillis(12)).peer("203.0.113.7").userAgent(V3_UA).api("orders").node("gw1")
                .requestHeaders(List.of(new Header("Authorization", "Bearer " + fp.reference(rawA1)),
                        new Header("X-Return-To", V2_HEADER), new Header("User-Agent", V3_UA),
                        new Header("X-Smuggled", "a\r\nX-Injected: 1\u0000b")))
                .responseHeaders(List.of(new Header("Content-Type", "application/json"),
                        new Header("Location", V2_HEADER)))
                .responseBody(new Body(V1_BODY, V1_BODY.length(), false, "application/json", null, Body.Form.TEXT))
                .tokens(List.of(t1)).build());
        ids.add(hostile);

        write(root, "keycloak", "kc1", events);
        write(root, "gateway", "gw1", exchanges);
        return new Made(rawA1, rawA2, fp.fingerprint(rawA1), ids, hostile, start, events.size() + exchanges.size());
    }

    static TokenEvent event(String id, Instant t, TokenEventType type, String name, String access, String refresh,
                            String newRefresh, String error) {
        return new TokenEvent(id, t, type, name, "shop", "shop-web", "alice", SESSION, "198.51.100.4", access, refresh,
                newRefresh, error, Map.of("grant_type", "authorization_code", "password", "leaked?"), null, "kc1");
    }

    static Exchange exchange(String id, Instant t, TokenIdentity token, String reference, String method, String path,
                             String query, int status, Body body, String ua) {
        return Exchange.builder(id, t).transactionId("tx-" + id).method(method).scheme("https").host("shop.example")
                .path(path).query(query).status(status).latency(Duration.ofMillis(20 + status % 7)).api("orders")
                .peer("198.51.100.4").forwardedFor(List.of("203.0.113.9", "10.0.0.2")).userAgent(ua).node("gw1")
                .requestHeaders(List.of(new Header("Authorization", "Bearer " + reference),
                        new Header("Cookie", "JSESSIONID=«masked:cookie»; theme=dark"),
                        new Header("X-Api-Key", "«masked:x-api-key»"), new Header("Accept", "application/json")))
                .requestBody(body)
                .responseHeaders(List.of(new Header("Content-Type", "application/json")))
                .responseBody(new Body("{\"ok\":true}", 11, false, "application/json", null, Body.Form.TEXT))
                .tokens(token == null ? List.of() : List.of(token)).build();
    }

    static void write(Path root, String component, String node, List<ReplayRecord> records) {
        write(ShardConfig.of(root, component, node), records);
    }

    /**
     * All of {@code records} in one commit: the writer's timer never commits a part first, so a
     * reader sees none of them or all of them (a burst, as one poll of the live tail meets it).
     */
    static void writeInOneCommit(Path root, String component, String node, List<ReplayRecord> records) {
        write(ShardConfig.of(root, component, node).withCommitInterval(Duration.ofHours(1)), records);
    }

    private static void write(ShardConfig config, List<ReplayRecord> records) {
        try (ShardWriter w = ShardWriter.open(config)) {
            for (ReplayRecord r : records) {
                if (!w.offer(r)) {
                    throw new IllegalStateException("writer dropped " + r.id());
                }
            }
            if (!w.commitNow(Duration.ofSeconds(30))) {
                throw new IllegalStateException("commit timed out");
            }
        }
    }

    /** {@code n} records of one token for the render measurement: exchanges with a refresh every 100. */
    static String fillBig(Path root, Instant start, int n) {
        Fingerprinter fp = Fingerprinter.forRoot(root);
        String raw = jwt("big-0000-4000-8000-000000000000", "bob", "b0b0b0b0-0000-4000-8000-00000000b0b0", start);
        TokenIdentity t = TokenIdentity.of(raw, "Bearer", fp);
        List<ReplayRecord> xs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            xs.add(exchange("big-" + i, start.plusMillis(i * 250L), t, fp.reference(raw), "GET", "/items/" + i, null,
                    i % 37 == 0 ? 503 : 200, Body.NONE, "bench"));
        }
        write(root, "gateway", "big", xs);
        return "big-0000-4000-8000-000000000000";
    }

    private TestData() {
    }
}
