package dev.tokentrail.index.store;

import static dev.tokentrail.index.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.Fixtures;
import dev.tokentrail.index.model.AuditEvent;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Finding;
import dev.tokentrail.index.model.Header;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetainedSizeTest {

    private static final String TEN_K = "x".repeat(10_000);

    @Test
    void bodiesCountAtLeastTwoBytesPerCharacter() {
        Exchange plain = Fixtures.exchange("r1", T0, null, 200, "/a");
        Body body = new Body(TEN_K, TEN_K.length(), false, "text/plain", null, Body.Form.TEXT);
        Exchange withBodies = Exchange.builder("r1", T0).transactionId("r1").latency(plain.latency()).api("orders")
                .method("GET").scheme("http").host("api.local").path("/a").query("page=2")
                .requestHeaders(plain.requestHeaders()).requestBody(body).status(200).responseBody(body)
                .peer("127.0.0.1").forwardedFor(plain.forwardedFor()).userAgent("curl/8.5").node("gw-1").build();
        assertThat(RetainedSize.of(withBodies) - RetainedSize.of(plain)).isGreaterThanOrEqualTo(2 * 2 * 10_000L);
    }

    @Test
    void headersForwardedHopsAndDetailsAreCounted() {
        Exchange plain = Fixtures.exchange("r1", T0, null, 200, "/a");
        Exchange headers = Exchange.builder("r1", T0).requestHeaders(List.of(new Header("X-Big", TEN_K))).build();
        Exchange hops = Exchange.builder("r1", T0).forwardedFor(List.of(TEN_K)).build();
        Exchange bare = Exchange.builder("r1", T0).build();
        assertThat(RetainedSize.of(headers) - RetainedSize.of(bare)).isGreaterThanOrEqualTo(20_000);
        assertThat(RetainedSize.of(hops) - RetainedSize.of(bare)).isGreaterThanOrEqualTo(20_000);
        assertThat(RetainedSize.of(plain)).isGreaterThan(RetainedSize.of(bare));

        TokenEvent e = Fixtures.event("e1", T0, TokenEventType.ISSUED, "LOGIN", "u", "s", "a", "r", null);
        TokenEvent bigDetail = new TokenEvent("e1", T0, TokenEventType.ISSUED, null, null, null, null, null, null,
                null, null, null, null, Map.of("note", "y".repeat(1_000)), null, null);
        assertThat(RetainedSize.of(bigDetail)).isGreaterThanOrEqualTo(2_000);
        assertThat(RetainedSize.of(e)).isPositive();
    }

    @Test
    void findingsAndAuditEntriesCountTheirText() {
        Finding f = new Finding("F1", T0, "BURST", Finding.Severity.LOW, TEN_K, List.of("r1"), null, null, null, null,
                null, T0, T0, "v");
        AuditEvent a = new AuditEvent("A1", T0, "alice", "oidc", "search", TEN_K, 1, "v");
        assertThat(RetainedSize.of(f)).isGreaterThanOrEqualTo(20_000);
        assertThat(RetainedSize.of(a)).isGreaterThanOrEqualTo(20_000);
    }
}
