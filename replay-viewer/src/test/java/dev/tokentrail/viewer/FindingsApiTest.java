package dev.tokentrail.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentrail.index.findings.Rule;
import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import dev.tokentrail.index.store.RecordCodec;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Findings end to end over real shards: the incremental task sees a logout at the IdP followed by
 * the gateway accepting the old token, stores USE_AFTER_LOGOUT once, reports it to the webhook,
 * and the finding shows in the list, the token's timeline and the metrics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FindingsApiTest {

    static final String SID = "c0ffee00-0d43-4c5e-9d6a-00000000beef";
    static final String L1 = "l1l1l1l1-0000-4000-8000-0000000000l1";

    @TempDir
    static Path root;
    RunningViewer v;
    Receiver receiver;
    final ObjectMapper json = RecordCodec.mapper();

    @BeforeAll
    void start() throws Exception {
        // Older data: its REFRESH_REUSE (R1 presented again after rotation) is found by the start-up rebuild.
        TestData.fill(root, Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS));
        receiver = new Receiver(2);
        v = new RunningViewer(root, FindingsOptions.defaults().withTiming(Duration.ofMillis(200), Duration.ofSeconds(1))
                .withWebhook(receiver.url(), 100, 5, Duration.ofMillis(50)));
    }

    @AfterAll
    void stop() {
        if (v != null) {
            v.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    JsonNode body(HttpResponse<String> r) {
        try {
            return json.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    static TokenEvent event(String id, Instant t, TokenEventType type, String name, String access) {
        return new TokenEvent(id, t, type, name, "shop", "shop-web", "carol", SID, "198.51.100.20", access, null, null,
                null, Map.of(), null, "kc2");
    }

    List<JsonNode> items(JsonNode page) {
        List<JsonNode> out = new ArrayList<>();
        page.get("items").forEach(out::add);
        return out;
    }

    @Test
    void a_token_replayed_after_logout_becomes_one_finding_in_the_list_the_timeline_the_metrics_and_the_webhook()
            throws Exception {
        // Now, after the viewer started: only the incremental task can see these.
        Instant t0 = Instant.now();
        Fingerprinter fp = Fingerprinter.forRoot(root);
        String raw = TestData.jwt(L1, "carol", SID, t0.truncatedTo(ChronoUnit.SECONDS));
        TokenIdentity token = TokenIdentity.of(raw, "Bearer", fp);
        TestData.write(root, "keycloak", "kc2", List.<ReplayRecord>of(
                event("lo-1", t0, TokenEventType.ISSUED, "CODE_TO_TOKEN", L1),
                event("lo-2", t0.plusMillis(200), TokenEventType.LOGGED_OUT, "LOGOUT", null)));
        TestData.write(root, "gateway", "gw2", List.<ReplayRecord>of(
                TestData.exchange("lo-x-before", t0.plusMillis(100), token, fp.reference(raw), "GET", "/orders", null, 200,
                        Body.NONE, "curl/8.5"),
                TestData.exchange("lo-x-after", t0.plusMillis(400), token, fp.reference(raw), "GET", "/orders", null, 200,
                        Body.NONE, "curl/8.5")));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                items(body(v.get("/api/findings?rule=USE_AFTER_LOGOUT"))).stream()
                        .anyMatch(i -> L1.equals(i.path("tokenId").asText())));
        JsonNode f = items(body(v.get("/api/findings?rule=use_after_logout"))).stream()
                .filter(i -> L1.equals(i.path("tokenId").asText())).findFirst().orElseThrow();
        assertThat(f.get("kind").asText()).isEqualTo("finding");
        assertThat(f.get("severity").asText()).isEqualTo("HIGH");
        assertThat(f.get("sessionId").asText()).isEqualTo(SID);
        assertThat(f.get("key").asText()).isEqualTo(L1);
        assertThat(f.get("explanation").asText()).isEqualTo(Rule.USE_AFTER_LOGOUT.explanation());
        assertThat(f.get("recordIds").toString()).contains("lo-2").contains("lo-x-after").doesNotContain("lo-x-before");
        String id = f.get("id").asText();

        // Evaluated again on demand, twice: found again, stored never.
        String range = "{\"from\":\"" + t0.minusSeconds(60) + "\",\"to\":\"" + Instant.now().plusSeconds(60) + "\"}";
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> again = v.postJson("/api/findings/evaluate", range);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
            assertThat(body(again).get("stored").asInt()).isZero();
            assertThat(again.body()).contains(id);
        }
        JsonNode all = body(v.get("/api/search?kind=finding&size=1000"));
        assertThat(items(all).stream().filter(i -> id.equals(i.get("id").asText())).count()).isEqualTo(1);

        // In the token's timeline, between the logout and the request it flags.
        JsonNode timeline = body(v.get("/api/timeline?key=" + L1 + "&size=1000"));
        assertThat(items(timeline)).anyMatch(i -> i.get("kind").asText().equals("finding") && i.get("id").asText().equals(id)
                && i.get("rule").asText().equals("USE_AFTER_LOGOUT"));
        // Its replay window: the logout and both requests.
        JsonNode detail = body(v.get("/api/findings/" + id));
        JsonNode around = body(v.get("/api/around?key=" + detail.get("key").asText() + "&time=" + detail.get("time").asText()
                + "&before=PT5M&after=PT5M&size=100"));
        assertThat(items(around)).extracting(i -> i.get("id").asText()).contains("lo-2", "lo-x-before", "lo-x-after");

        // Reported once to the webhook, though the receiver failed the first two attempts.
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.bodies.stream().anyMatch(b -> b.contains(id)));
        assertThat(receiver.bodies.stream().filter(b -> b.contains(id)).count()).isEqualTo(1);

        String metrics = v.get("/metrics").body();
        assertThat(metrics).contains("tokentrail_findings{rule=\"USE_AFTER_LOGOUT\"} 1")
                .contains("tokentrail_findings{rule=\"REFRESH_REUSE\"} 1")
                .contains("tokentrail_findings{rule=\"BURST\"} 0")
                .contains("tokentrail_viewer_findings_webhook_retries_total 2");
    }

    @Test
    void the_start_up_rebuild_finds_what_happened_while_no_viewer_ran() {
        List<JsonNode> reuse = items(body(v.get("/api/findings?rule=REFRESH_REUSE")));
        assertThat(reuse).hasSize(1);
        assertThat(reuse.get(0).get("summary").asText()).contains(TestData.R1);
        // and it is in the session's timeline
        JsonNode timeline = body(v.get("/api/timeline?key=" + TestData.SESSION + "&size=1000"));
        assertThat(items(timeline)).anyMatch(i -> i.get("kind").asText().equals("finding"));
    }

    @Test
    void bad_finding_requests_get_a_clear_error() {
        assertThat(v.get("/api/findings?rule=NOPE").statusCode()).isEqualTo(400);
        assertThat(v.get("/api/findings?severity=urgent").statusCode()).isEqualTo(400);
        assertThat(v.postJson("/api/findings/evaluate", "{}").statusCode()).isEqualTo(400);
        assertThat(v.postJson("/api/findings/evaluate", "{\"from\":\"2026-01-02T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}")
                .statusCode()).isEqualTo(400);
        assertThat(v.get("/api/findings/nope").statusCode()).isEqualTo(404);
        // State changes need a POST.
        assertThat(v.get("/api/findings/evaluate").statusCode()).isEqualTo(404);
        assertThat(v.anonymous("/api/findings").statusCode()).isEqualTo(401);
    }
}
