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
import io.javalin.http.HandlerType;
import java.net.URI;
import java.net.http.HttpRequest;
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
    static final String SID3 = "c0ffee00-0d43-4c5e-9d6a-0000000face3";
    static final String L3 = "l3l3l3l3-0000-4000-8000-0000000000l3";

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
        return event(id, t, type, name, access, SID);
    }

    static TokenEvent event(String id, Instant t, TokenEventType type, String name, String access, String sid) {
        return new TokenEvent(id, t, type, name, "shop", "shop-web", SID.equals(sid) ? "carol" : "dave", sid,
                "198.51.100.20", access, null, null, null, Map.of(), null, SID.equals(sid) ? "kc2" : "kc3");
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
        assertThat(v.anonymous("/api/findings").statusCode()).isEqualTo(401);
    }

    @Test
    void a_get_on_any_state_changing_route_evaluates_nothing_stores_nothing_and_logs_nobody_in_or_out()
            throws Exception {
        // A logout, then the old token accepted, half an hour ago but committed only now: the incremental
        // task is past that time, so only an evaluation of this range can make (and store) the finding.
        Instant t = Instant.now().minus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        Fingerprinter fp = Fingerprinter.forRoot(root);
        String raw = TestData.jwt(L3, "dave", SID3, t.truncatedTo(ChronoUnit.SECONDS));
        TokenIdentity token = TokenIdentity.of(raw, "Bearer", fp);
        TestData.write(root, "keycloak", "kc3", List.<ReplayRecord>of(
                event("g3-issued", t, TokenEventType.ISSUED, "CODE_TO_TOKEN", L3, SID3),
                event("g3-logout", t.plusMillis(200), TokenEventType.LOGGED_OUT, "LOGOUT", null, SID3)));
        TestData.write(root, "gateway", "gw3", List.<ReplayRecord>of(TestData.exchange("g3-after", t.plusMillis(400),
                token, fp.reference(raw), "GET", "/orders", null, 200, Body.NONE, "curl/8.5")));
        String from = t.minusSeconds(60).toString();
        String to = t.plusSeconds(60).toString();
        String range = "from=" + from + "&to=" + to;

        // Logged in with a session cookie, as a browser is: a GET logout would have a session to end,
        // and a cross-site GET carries exactly this cookie.
        HttpResponse<String> login = v.anonymous("/?token=" + RunningViewer.TOKEN);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        String session = cookie.substring(0, cookie.indexOf(';'));
        long storedBefore = metric("tokentrail_viewer_findings_findings_stored_total");

        // Every route the router has for POST and not for GET: these are the ones that change state.
        List<String> postOnly = new ArrayList<>();
        List<Viewer.Route> routes = v.viewer.routes();
        for (Viewer.Route r : routes) {
            if (r.method().equals(HandlerType.POST) && routes.stream()
                    .noneMatch(g -> g.method().equals(HandlerType.GET) && g.path().equals(r.path()))) {
                postOnly.add(r.path());
            }
        }
        assertThat(postOnly).contains("/api/findings/evaluate", "/auth/logout", "/auth/local");
        for (String path : postOnly) {
            // The evaluation's parameters in the query string, a same-origin header and the session: all a
            // GET can carry. (No ?token=: on a page path that is the documented login link, whatever the path.)
            HttpResponse<String> r = v.send(HttpRequest.newBuilder(URI.create(v.url(path + "?" + range)))
                    .header("Cookie", session).header("Origin", v.viewer.baseUrl()));
            assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isIn(404, 405);
            assertThat(r.body()).as("GET " + path).doesNotContain("\"stored\"").doesNotContain("\"found\"");
            assertThat(r.headers().firstValue("Set-Cookie")).as("GET " + path + " starts no session").isEmpty();
            // An evaluation commits what it stores before it answers: had this GET evaluated, the finding
            // would be visible now.
            assertThat(items(body(v.get("/api/search?kind=finding&q=" + L3)))).as("GET " + path).isEmpty();
            assertThat(v.send(HttpRequest.newBuilder(URI.create(v.url("/api/me"))).header("Cookie", session))
                    .statusCode()).as("GET " + path + " ends no session").isEqualTo(200);
        }
        assertThat(metric("tokentrail_viewer_findings_findings_stored_total")).isEqualTo(storedBefore);
        // The audit trail is written in order: once a later entry is visible, an evaluation the GETs
        // had run would be too. None is.
        v.get("/api/record/g3-after");
        await().atMost(Duration.ofSeconds(20)).until(() -> v.get("/api/audit").body().contains("id=g3-after"));
        assertThat(audits("evaluate", from)).isEmpty();

        // The same request as a POST evaluates and stores: the GETs had something to do, and did not.
        HttpResponse<String> post = v.send(HttpRequest.newBuilder(URI.create(v.url("/api/findings/evaluate")))
                .header("Cookie", session).header("Origin", v.viewer.baseUrl()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"from\":\"" + from + "\",\"to\":\"" + to + "\"}")));
        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
        assertThat(body(post).get("stored").asInt()).isEqualTo(1);
        assertThat(items(body(v.get("/api/search?kind=finding&q=" + L3)))).extracting(i -> i.get("rule").asText())
                .containsExactly("USE_AFTER_LOGOUT");
        assertThat(metric("tokentrail_viewer_findings_findings_stored_total")).isEqualTo(storedBefore + 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> !audits("evaluate", from).isEmpty());
    }

    long metric(String name) {
        return v.get("/metrics").body().lines().filter(l -> l.startsWith(name + " "))
                .mapToLong(l -> Long.parseLong(l.substring(name.length() + 1).strip())).findFirst().orElseThrow();
    }

    /** Audit entries of one action whose subject names {@code from}. */
    List<JsonNode> audits(String action, String from) {
        List<JsonNode> out = new ArrayList<>();
        body(v.get("/api/audit?limit=1000")).forEach(e -> {
            if (action.equals(e.get("action").asText()) && e.get("subject").asText().contains("from=" + from)) {
                out.add(e);
            }
        });
        return out;
    }
}
