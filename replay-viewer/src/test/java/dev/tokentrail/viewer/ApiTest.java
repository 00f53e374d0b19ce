package dev.tokentrail.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.mask.MaskingPolicy;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Header;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import dev.tokentrail.index.store.RecordCodec;
import dev.tokentrail.viewer.auth.WebSecurity;
import io.javalin.http.HandlerType;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTest {

    @TempDir
    static Path root;
    RunningViewer v;
    TestData.Made made;
    final ObjectMapper json = RecordCodec.mapper();

    /**
     * The only routes reachable without a login, each for a reason; everything else the router
     * knows must refuse an anonymous caller. Adding a route here is a security decision.
     */
    static final Map<String, String> PUBLIC = Map.of(
            "GET /login", "the login page",
            "GET /app/style.css", "the login page's stylesheet",
            "GET /app/icon.svg", "the login page's icon: a fixed SVG from the jar, no data",
            "POST /auth/local", "local-token login form",
            "GET /auth/login", "OIDC login start",
            "GET /auth/callback", "OIDC redirect back from the IdP");
    static final String DENIED = "{\"error\":\"login required\"}";

    static final String BOB_SESSION = "b0b0b0b0-5555-4c5e-9d6a-00000000b0b0";
    static final String BOB_ACCESS = "b0b0b0b0-0000-4000-8000-0000000000b1";

    static final String CAROL_SESSION = "c4c4c4c4-5555-4c5e-9d6a-00000000c4c4";
    static final String CAROL_ACCESS = "c4c4c4c4-0000-4000-8000-0000000000a1";
    static final String CAROL_REFRESH = "c4c4c4c4-0000-4000-8000-0000000000r1";
    static final String CAROL_EXCHANGE = "carol-x-refresh";
    List<String> carolRaw;

    @BeforeAll
    void start() {
        made = TestData.fill(root, Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS));
        // Another user in the same minutes, in shards of their own: a user's timeline must leave bob out.
        Instant t = made.start().plusSeconds(15);
        Fingerprinter fp = Fingerprinter.forRoot(root);
        String bobRaw = TestData.jwt(BOB_ACCESS, "bob", BOB_SESSION, t);
        TestData.write(root, "keycloak", "kc-bob", List.of(new TokenEvent("bob-ev-1", t, TokenEventType.ISSUED,
                "CODE_TO_TOKEN", "shop", "shop-web", "bob", BOB_SESSION, "198.51.100.77", BOB_ACCESS, null, null, null,
                Map.of(), null, "kc-bob")));
        TestData.write(root, "gateway", "gw-bob", List.of(TestData.exchange("bob-x-1", t.plusSeconds(1),
                TokenIdentity.of(bobRaw, "Bearer", fp), fp.reference(bobRaw), "GET", "/orders/b", null, 200, Body.NONE,
                "curl/8.5")));
        // A refresh at the token endpoint by yet another user, as an adapter stores it: through the real masking.
        String carolAccess = TestData.jwt(CAROL_ACCESS, "carol", CAROL_SESSION, t);
        String carolRefresh = TestData.jwt(CAROL_REFRESH, "carol", CAROL_SESSION, t);
        MaskingPolicy masking = MaskingPolicy.defaults(fp);
        byte[] form = ("grant_type=refresh_token&refresh_token=" + carolRefresh + "&client_id=shop-web&client_secret=shop-s3cret")
                .getBytes(StandardCharsets.UTF_8);
        TestData.write(root, "gateway", "gw-carol", List.of(masking.mask(Exchange.builder(CAROL_EXCHANGE, t.plusSeconds(2))
                .method("POST").scheme("https").host("idp.example").path("/realms/shop/protocol/openid-connect/token")
                .query("token=" + carolAccess + "&refresh_token=" + carolRefresh).status(200).peer("198.51.100.88")
                .node("gw-carol").requestHeaders(List.of(new Header("Authorization", "Bearer " + carolAccess),
                        new Header("Content-Type", "application/x-www-form-urlencoded")))
                .requestBody(masking.body(form, form.length, form.length, "application/x-www-form-urlencoded", null))
                .build())));
        carolRaw = List.of(carolAccess, carolRefresh, "shop-s3cret");
        v = new RunningViewer(root);
    }

    @AfterAll
    void stop() {
        if (v != null) {
            v.close();
        }
    }

    JsonNode body(HttpResponse<String> r) {
        try {
            return json.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** The routes as the running app's router registered them, without before-handlers. */
    List<Viewer.Route> registered() {
        List<Viewer.Route> out = new ArrayList<>();
        for (Viewer.Route r : v.viewer.routes()) {
            if (r.method().isHttpMethod()) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * A request that would show data if the guard let it through: real record ids in the path,
     * a key and words that match the fixture, a range over it.
     */
    HttpRequest.Builder request(Viewer.Route route, HandlerType method, String findingId) {
        String path = route.path().startsWith("/api/findings/") ? route.path().replace("{id}", findingId)
                : route.path().replace("{id}", "x-a1-0");
        assertThat(path).as("a path parameter this test does not fill").doesNotContain("{").doesNotContain("<");
        String from = made.start().minus(1, ChronoUnit.HOURS).toString();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(v.url(path + "?q=alice&key=alice&id=x-a1-0&from=" + from)))
                .timeout(Duration.ofSeconds(20));
        if (method.equals(HandlerType.GET)) {
            return b.GET();
        }
        if (method.equals(HandlerType.POST)) {
            return b.header("Content-Type", "application/json").header("Origin", v.viewer.baseUrl())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"q\":\"alice\",\"key\":\"alice\",\"from\":\"" + from + "\"}"));
        }
        return b.method(method.name(), HttpRequest.BodyPublishers.noBody());
    }

    record Answer(int status, java.net.http.HttpHeaders headers, String body) {
    }

    Answer sendBounded(HttpRequest.Builder b) {
        try {
            HttpResponse<InputStream> r = v.http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                // The live tail never ends by itself: its status and headers are the answer.
                boolean stream = r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
                return new Answer(r.statusCode(), r.headers(),
                        stream ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void every_registered_route_refuses_an_anonymous_caller_and_shows_no_data() {
        List<Viewer.Route> routes = registered();
        List<String> names = routes.stream().map(r -> r.method().name() + " " + r.path()).toList();
        // The enumeration itself must see what a hand-kept list once missed.
        assertThat(names).contains("GET /api/findings", "GET /api/findings/{id}", "POST /api/findings/evaluate",
                "GET /api/tail", "GET /", "GET /app/main.js", "POST /auth/logout", "GET /metrics");
        assertThat(names).containsAll(PUBLIC.keySet());
        // What the guard lets through is exactly this list: no path public without a route and a reason here.
        assertThat(WebSecurity.publicPaths()).containsExactlyInAnyOrderElementsOf(
                PUBLIC.keySet().stream().map(k -> k.substring(k.indexOf(' ') + 1)).toList());
        await().atMost(Duration.ofSeconds(30)).until(() -> body(v.get("/api/findings")).get("items").size() > 0);
        String findingId = body(v.get("/api/findings")).get("items").get(0).get("id").asText();

        List<String> checked = new ArrayList<>();
        for (Viewer.Route route : routes) {
            String name = route.method().name() + " " + route.path();
            if (PUBLIC.containsKey(name)) {
                continue;
            }
            // With a login the same request answers: so a 401 below is the guard, not a bad request.
            Answer allowed = sendBounded(request(route, route.method(), findingId)
                    .header("Authorization", "Bearer " + RunningViewer.TOKEN));
            assertThat(allowed.status()).as("with a login: " + name + " " + allowed.body()).isBetween(200, 299);

            for (HandlerType method : route.method().equals(HandlerType.GET) ? List.of(HandlerType.GET)
                    : List.of(route.method(), HandlerType.GET)) {
                String what = method.name() + " " + route.path() + " (registered as " + name + ")";
                Answer r = sendBounded(request(route, method, findingId));
                boolean api = route.path().startsWith("/api/") || route.path().equals("/metrics")
                        || route.path().equals("/health");
                if (r.status() == 303 && method.equals(HandlerType.GET) && !api) {
                    // A page or UI file: off to the login page, nothing else.
                    assertThat(r.headers().firstValue("Location")).as(what).hasValue("/login");
                    assertThat(r.body()).as(what).isIn("", "Redirected");
                } else {
                    assertThat(r.status()).as(what).isEqualTo(401);
                    assertThat(r.body()).as(what).isEqualTo(DENIED);
                    assertThat(r.headers().firstValue("WWW-Authenticate")).as(what).isPresent();
                }
                assertThat(r.headers().firstValue("Set-Cookie")).as(what).isEmpty();
                checked.add(what);
            }
        }
        assertThat(checked).hasSizeGreaterThan(25);
    }

    @Test
    void the_public_routes_show_only_the_login_page_its_stylesheet_and_icon() {
        HttpResponse<String> login = v.anonymous("/login");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("<form").doesNotContain("alice").doesNotContain("x-a1-")
                .doesNotContain(RunningViewer.TOKEN);
        HttpResponse<String> css = v.anonymous("/app/style.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
        HttpResponse<String> icon = v.anonymous("/app/icon.svg");
        assertThat(icon.statusCode()).isEqualTo(200);
        assertThat(icon.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("image/svg+xml");
        assertThat(icon.headers().firstValue("Content-Security-Policy").orElseThrow()).isEqualTo(WebSecurity.CSP);
        assertThat(icon.body()).startsWith("<svg").doesNotContain("<script").doesNotContain("style=")
                .doesNotContain("href").doesNotContain("alice");
        assertThat(login.body()).contains("<link rel=\"icon\" href=\"/app/icon.svg\" type=\"image/svg+xml\">");
        // Where a browser looks when a page names no icon: the same file, behind the login.
        assertThat(v.anonymous("/favicon.ico").headers().firstValue("Location")).hasValue("/login");
        HttpResponse<String> favicon = v.get("/favicon.ico");
        assertThat(favicon.statusCode()).isEqualTo(200);
        assertThat(favicon.body()).isEqualTo(icon.body());
        // Local mode: the OIDC endpoints lead to the local login or nowhere, and a login without the token fails.
        assertThat(v.anonymous("/auth/login").headers().firstValue("Location")).hasValue("/login");
        assertThat(v.anonymous("/auth/callback?code=c&state=s").statusCode()).isEqualTo(404);
        HttpResponse<String> noToken = v.send(HttpRequest.newBuilder(URI.create(v.url("/auth/local")))
                .header("Origin", v.viewer.baseUrl()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=wrong-token-wrong-token-wrong")));
        assertThat(noToken.headers().firstValue("Location")).hasValue("/login?failed");
        assertThat(noToken.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void unknown_routes_and_a_wrong_bearer_token_are_no_login_either() {
        for (String path : List.of("/api/nonexistent", "/api/findings/evaluate/x", "/api/")) {
            HttpResponse<String> r = v.anonymous(path);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
        }
        HttpResponse<String> wrong = v.send(HttpRequest.newBuilder(URI.create(v.url("/api/shards")))
                .header("Authorization", "Bearer " + RunningViewer.TOKEN + "x"));
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void token_link_sets_a_strict_http_only_cookie_and_redirects_to_a_clean_url() {
        HttpResponse<String> r = v.anonymous("/?token=" + URLEncoder.encode(RunningViewer.TOKEN, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/");
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("tt_session=").contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
        String session = cookie.substring(0, cookie.indexOf(';'));
        HttpResponse<String> me = v.send(HttpRequest.newBuilder(URI.create(v.url("/api/me"))).header("Cookie", session));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(body(me).get("name").asText()).isEqualTo("local");

        // A POST with that cookie from another site is refused (CSRF), the same one from us is not.
        HttpResponse<String> cross = v.send(HttpRequest.newBuilder(URI.create(v.url("/api/search")))
                .header("Cookie", session).header("Origin", "https://evil.example").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"q\":\"alice\"}")));
        assertThat(cross.statusCode()).isEqualTo(403);
        HttpResponse<String> same = v.send(HttpRequest.newBuilder(URI.create(v.url("/api/search")))
                .header("Cookie", session).header("Origin", v.viewer.baseUrl()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"q\":\"alice\"}")));
        assertThat(same.statusCode()).isEqualTo(200);

        HttpResponse<String> bad = v.anonymous("/?token=wrong-token-wrong-token-wrong");
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(bad.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void logout_is_a_post_and_ends_the_session() {
        HttpResponse<String> login = v.anonymous("/?token=" + RunningViewer.TOKEN);
        String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
        String session = cookie.substring(0, cookie.indexOf(';'));
        // GET never changes state: there is no GET logout.
        assertThat(v.send(HttpRequest.newBuilder(URI.create(v.url("/auth/logout"))).header("Cookie", session))
                .statusCode()).isIn(404, 405);
        HttpResponse<String> out = v.send(HttpRequest.newBuilder(URI.create(v.url("/auth/logout"))).header("Cookie", session)
                .header("Origin", v.viewer.baseUrl()).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(v.send(HttpRequest.newBuilder(URI.create(v.url("/api/me"))).header("Cookie", session)).statusCode())
                .isEqualTo(401);
    }

    @Test
    void responses_carry_a_strict_content_security_policy() {
        for (HttpResponse<String> r : List.of(v.get("/"), v.get("/api/shards"), v.anonymous("/login"), v.anonymous("/api/me"))) {
            String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("script-src 'self'").contains("frame-ancestors 'none'")
                    .contains("require-trusted-types-for 'script'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        }
    }

    @Test
    void static_routes_serve_only_the_listed_files() throws Exception {
        assertThat(v.get("/app/main.js").statusCode()).isEqualTo(200);
        assertThat(v.get("/app/main.js").headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
        for (String path : List.of("/app/../tokentrail-viewer.properties", "/app/%2e%2e/tokentrail-viewer.properties",
                "/app/..%2f..%2fpom.xml", "/vendor/uplot/../../META-INF/MANIFEST.MF", "/app/%2e%2e%2f%2e%2e%2f.tokentrail.key",
                "/app/", "/web/index.html", "/tokentrail-viewer.properties", "/.tokentrail.key", "/viewer-audit.jsonl",
                "/META-INF/resources/webjars/uplot/1.6.30/package.json", "/app/assets.txt")) {
            String status = rawGet(path, "127.0.0.1:" + v.viewer.port());
            assertThat(status).as(path).matches("HTTP/1\\.1 (400|404) .*");
        }
    }

    @Test
    void a_foreign_host_header_is_refused_against_dns_rebinding() throws Exception {
        assertThat(rawGet("/api/shards", "attacker.example:" + v.viewer.port())).startsWith("HTTP/1.1 421");
        assertThat(rawGet("/api/shards", "localhost:" + v.viewer.port())).startsWith("HTTP/1.1 200");
    }

    /** A raw request, so neither the path nor the Host header is normalized by a client library. */
    String rawGet(String path, String host) throws Exception {
        try (Socket s = new Socket("127.0.0.1", v.viewer.port())) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + RunningViewer.TOKEN
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
        }
    }

    @Test
    void search_by_a_pasted_raw_token_finds_its_exchanges_and_never_stores_the_token() throws Exception {
        HttpResponse<String> r = v.postJson("/api/search", "{\"q\":\"" + made.rawA1() + "\",\"size\":100}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode items = body(r).get("items");
        List<String> ids = new ArrayList<>();
        items.forEach(i -> ids.add(i.get("id").asText()));
        // The reader links a token to its session, so the session's other records come along.
        assertThat(ids).contains("x-a1-0", "x-a1-1", "x-a1-2", "x-a1-post", "x-hostile");
        assertThat(r.body()).doesNotContain(made.rawA1());

        // The audit trail is AuditEvents in the viewer's own shard, visible once committed (about a second).
        assertThat(root.resolve("viewer-test")).isDirectory();
        await().atMost(Duration.ofSeconds(20)).until(() -> v.get("/api/audit").body()
                .contains("\"action\":\"search\",\"subject\":\"q=«token:"));
        HttpResponse<String> trail = v.get("/api/audit");
        assertThat(trail.body()).contains("\"action\":\"search\"").doesNotContain(made.rawA1())
                .doesNotContain(made.rawA1().substring(0, 30));
        // Audit entries stay out of searches and timelines unless asked for.
        assertThat(v.get("/api/search?q=search&size=1000").body()).doesNotContain("\"kind\":\"audit\"");
        JsonNode audits = body(v.get("/api/search?kind=audit&actor=local&size=5"));
        assertThat(audits.get("items")).isNotEmpty();
        audits.get("items").forEach(i -> assertThat(i.get("kind").asText()).isEqualTo("audit"));
    }

    @Test
    void search_filters_and_time_range_apply() {
        JsonNode errors = body(v.get("/api/search?q=alice&kind=exchange&status=500"));
        assertThat(errors.get("items")).hasSize(1);
        assertThat(errors.get("items").get(0).get("id").asText()).isEqualTo("x-a2-1");
        JsonNode none = body(v.get("/api/search?q=alice&from=" + Instant.now().plusSeconds(3600)));
        assertThat(none.get("items")).isEmpty();
        HttpResponse<String> bad = v.get("/api/search?q=alice&from=yesterday");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(body(bad).get("error").asText()).contains("ISO-8601");
    }

    @Test
    void timeline_of_a_raw_token_interleaves_idp_events_and_exchanges_without_echoing_the_token() {
        HttpResponse<String> r = v.postJson("/api/timeline", "{\"key\":\"" + made.rawA1() + "\",\"size\":1000}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode t = body(r);
        assertThat(r.body()).doesNotContain(made.rawA1());
        assertThat(t.get("resolvedAs").asText()).isEqualTo("TOKEN");
        List<String> kinds = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        t.get("items").forEach(i -> {
            kinds.add(i.get("kind").asText());
            ids.add(i.get("id").asText());
        });
        assertThat(kinds).contains("event", "exchange");
        assertThat(ids).contains("ev-2", "x-a1-0", "x-a1-post");
        // The resolved key (a fingerprint) opens the same timeline: that is what the UI puts in its URL.
        JsonNode again = body(v.get("/api/timeline?key=" + URLEncoder.encode(t.get("key").asText(), StandardCharsets.UTF_8)));
        assertThat(again.get("items").size()).as("key " + t.get("key") + " -> " + again).isEqualTo(t.get("items").size());
    }

    @Test
    void timeline_of_a_session_shows_the_refresh_chain() {
        JsonNode t = body(v.get("/api/timeline?key=" + TestData.SESSION + "&size=1000"));
        assertThat(t.get("resolvedAs").asText()).isEqualTo("SESSION");
        List<String> tokenIds = new ArrayList<>();
        t.get("tokenIds").forEach(x -> tokenIds.add(x.asText()));
        assertThat(tokenIds).contains(TestData.A1, TestData.A2, TestData.R1, TestData.R2);
        List<String> ids = new ArrayList<>();
        t.get("items").forEach(i -> ids.add(i.get("id").asText()));
        assertThat(ids).contains("ev-1", "ev-2", "ev-3", "x-a1-0", "x-a2-0");
        JsonNode refreshed = null;
        for (JsonNode i : t.get("items")) {
            if (i.get("id").asText().equals("ev-3")) {
                refreshed = i;
            }
        }
        assertThat(refreshed.get("refreshTokenId").asText()).isEqualTo(TestData.R1);
        assertThat(refreshed.get("accessTokenId").asText()).isEqualTo(TestData.A2);
        assertThat(refreshed.get("newRefreshTokenId").asText()).isEqualTo(TestData.R2);
    }

    @Test
    void exchange_detail_has_headers_bodies_masks_and_truncation() {
        JsonNode x = body(v.get("/api/exchange/x-a1-post"));
        assertThat(x.get("method").asText()).isEqualTo("POST");
        assertThat(x.get("requestHeaders").toString()).contains("«masked:x-api-key»");
        JsonNode b = x.get("requestBody");
        assertThat(b.get("truncated").asBoolean()).isTrue();
        assertThat(b.get("originalSize").asLong()).isEqualTo(2048);
        assertThat(b.get("text").asText()).contains("«masked:password»").contains("1e400");
        assertThat(v.get("/api/exchange/nope").statusCode()).isEqualTo(404);
        assertThat(v.get("/api/exchange/ev-1").statusCode()).isEqualTo(404);
        assertThat(body(v.get("/api/record/ev-1")).get("kind").asText()).isEqualTo("event");
    }

    @Test
    void replay_window_shows_what_the_same_token_did_around_an_exchange() {
        JsonNode w = body(v.get("/api/around?id=x-a1-1&by=token&before=PT15S&after=PT15S"));
        List<String> ids = new ArrayList<>();
        w.get("items").forEach(i -> ids.add(i.get("id").asText()));
        // x-a1-1 is at +20 s: +10 s and +30 s are inside the window, +50 s is not.
        assertThat(ids).contains("x-a1-0", "x-a1-1", "x-a1-2").doesNotContain("x-a1-post", "x-a2-0");
        assertThat(body(v.get("/api/around?id=x-a1-1&by=peer")).get("items").size()).isGreaterThan(0);
        assertThat(v.get("/api/around?id=x-a1-1&by=nonsense").statusCode()).isEqualTo(400);
        assertThat(v.get("/api/around?id=x-a1-1&before=P30D").statusCode()).isEqualTo(400);
    }

    @Test
    void har_export_is_har_1_2_with_an_entry_per_exchange() {
        HttpResponse<String> r = v.get("/api/export/har?key=" + TestData.SESSION);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment; filename=\"tokentrail-");
        JsonNode log = body(r).get("log");
        assertThat(log.get("version").asText()).isEqualTo("1.2");
        assertThat(log.get("creator").get("name").asText()).isNotBlank();
        JsonNode entries = log.get("entries");
        assertThat(entries.size()).isGreaterThanOrEqualTo(6);
        for (JsonNode e : entries) {
            assertThat(Instant.parse(e.get("startedDateTime").asText())).isNotNull();
            assertThat(e.get("time").isNumber()).isTrue();
            for (String f : List.of("method", "url", "httpVersion", "cookies", "headers", "queryString", "headersSize", "bodySize")) {
                assertThat(e.get("request").has(f)).as("request." + f).isTrue();
            }
            for (String f : List.of("status", "statusText", "httpVersion", "cookies", "headers", "content", "redirectURL",
                    "headersSize", "bodySize")) {
                assertThat(e.get("response").has(f)).as("response." + f).isTrue();
            }
            assertThat(e.get("response").get("content").has("size")).isTrue();
            assertThat(e.get("response").get("content").has("mimeType")).isTrue();
            assertThat(e.has("cache")).isTrue();
            for (String f : List.of("send", "wait", "receive")) {
                assertThat(e.get("timings").get(f).asDouble()).isGreaterThanOrEqualTo(0);
            }
            assertThat(URI.create(e.get("request").get("url").asText().replace("«", "%C2%AB").replace("»", "%C2%BB")
                    .replace("<", "%3C").replace(">", "%3E")).getScheme()).isEqualTo("https");
        }
        assertThat(log.get("_tokentrailEvents").size()).isGreaterThanOrEqualTo(3);
        assertThat(r.body()).doesNotContain(made.rawA1()).doesNotContain(made.rawA2());
    }

    @Test
    void json_export_holds_the_timelines_records_in_time_order_exactly_as_stored() throws Exception {
        HttpResponse<String> r = v.get("/api/export/json?key=" + TestData.SESSION);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment; filename=\"tokentrail-")
                .endsWith(".json\"");
        JsonNode export = body(r);
        assertThat(export.get("resolvedAs").asText()).isEqualTo("SESSION");
        assertThat(export.get("truncated").asBoolean()).isFalse();
        JsonNode records = export.get("records");

        // The records of the timeline, the same ones in the same order as the timeline API pages them.
        List<String> exported = new ArrayList<>();
        records.forEach(x -> exported.add(x.get("id").asText()));
        List<String> timeline = new ArrayList<>();
        body(v.get("/api/timeline?key=" + TestData.SESSION + "&size=1000")).get("items")
                .forEach(i -> timeline.add(i.get("id").asText()));
        assertThat(exported).containsExactlyElementsOf(timeline);
        // The session's IdP events and exchanges, in time order (a finding the rules stored may sit between them).
        List<String> trail = new ArrayList<>();
        records.forEach(x -> {
            if (!x.get("kind").asText().equals("finding")) {
                trail.add(x.get("id").asText());
            }
        });
        assertThat(trail).containsExactly("ev-1", "ev-2", "x-a1-0", "x-a1-1", "x-a1-2", "x-a1-post", "x-hostile",
                "ev-3", "x-a2-0", "x-a2-1", "ev-4");
        Instant previous = Instant.MIN;
        for (JsonNode x : records) {
            Instant time = Instant.parse(x.get("time").asText());
            assertThat(time).as(x.get("id").asText()).isAfterOrEqualTo(previous);
            previous = time;
        }

        // Each record whole and exactly as stored: the same JSON the record route returns, markers and all.
        for (JsonNode x : records) {
            assertThat(x).as(x.get("id").asText()).isEqualTo(body(v.get("/api/record/" + x.get("id").asText())));
        }
        JsonNode post = null;
        for (JsonNode x : records) {
            if (x.get("id").asText().equals("x-a1-post")) {
                post = x;
            }
        }
        assertThat(post.get("query").asText()).isEqualTo("code=«masked:code»&state=xyz");
        assertThat(post.get("requestHeaders").toString()).contains("«masked:x-api-key»")
                .contains("JSESSIONID=«masked:cookie»; theme=dark").contains("Bearer «token:");
        assertThat(post.get("requestBody").get("text").asText())
                .isEqualTo("{\"item\":\"book\",\"password\":\"«masked:password»\",\"amount\":1e400}");
        assertThat(post.get("requestBody").get("truncated").asBoolean()).isTrue();
        assertThat(post.get("requestBody").get("originalSize").asLong()).isEqualTo(2048);
        assertThat(r.body()).doesNotContain(made.rawA1()).doesNotContain(made.rawA2());
    }

    @Test
    void timeline_of_a_user_id_holds_that_users_events_and_exchanges_and_nobody_elses() {
        JsonNode t = body(v.get("/api/timeline?key=alice&size=1000"));
        assertThat(t.get("resolvedAs").asText()).isEqualTo("USER");
        List<String> events = new ArrayList<>();
        List<String> exchanges = new ArrayList<>();
        for (JsonNode i : t.get("items")) {
            switch (i.get("kind").asText()) {
                case "event" -> {
                    assertThat(i.get("user").asText()).as(i.get("id").asText()).isEqualTo("alice");
                    events.add(i.get("id").asText());
                }
                case "exchange" -> {
                    assertThat(i.get("tokens").get(0).get("sub").asText()).as(i.get("id").asText()).isEqualTo("alice");
                    exchanges.add(i.get("id").asText());
                }
                default -> { }
            }
        }
        // Every IdP event of alice and every request made with her tokens, in time order.
        assertThat(events).containsExactly("ev-1", "ev-2", "ev-3", "ev-4");
        assertThat(exchanges).containsExactly("x-a1-0", "x-a1-1", "x-a1-2", "x-a1-post", "x-hostile", "x-a2-0", "x-a2-1");
        // bob was active in the same minutes; his user id opens his own timeline.
        assertThat(t.toString()).doesNotContain("bob-ev-1").doesNotContain("bob-x-1");
        List<String> bob = new ArrayList<>();
        body(v.get("/api/timeline?key=bob&size=1000")).get("items").forEach(i -> bob.add(i.get("id").asText()));
        assertThat(bob).containsExactly("bob-ev-1", "bob-x-1");
    }

    @Test
    void curl_export_has_a_placeholder_instead_of_any_credential() {
        HttpResponse<String> r = v.get("/api/export/curl/x-a1-post");
        assertThat(r.statusCode()).isEqualTo(200);
        String curl = r.body();
        assertThat(curl).contains("curl -X 'POST' 'https://shop.example/orders?code='\"$SECRET_CODE\"'&state=xyz'")
                .contains("-H 'Authorization: Bearer '\"$ACCESS_TOKEN\"")
                .contains("-H 'Cookie: '\"$SECRET_COOKIE\"")
                .contains("\"$PASSWORD\"")
                .contains("export ACCESS_TOKEN=")
                .doesNotContain(made.rawA1()).doesNotContain(made.fingerprintA1()).doesNotContain("«")
                .doesNotContain("JSESSIONID").doesNotContain("theme=dark");
        // CR/LF/NUL smuggled into a header cannot break out of its quotes.
        String hostile = v.get("/api/export/curl/x-hostile").body();
        assertThat(hostile).contains("'X-Smuggled: a'$'\\x0d'$'\\x0a''X-Injected: 1'$'\\x00''b'");
    }

    @Test
    void curl_export_names_each_credential_by_its_kind_so_a_refresh_token_is_never_ACCESS_TOKEN() {
        HttpResponse<String> r = v.get("/api/export/curl/" + CAROL_EXCHANGE);
        assertThat(r.statusCode()).isEqualTo(200);
        String curl = r.body();
        assertThat(curl).contains("/token?token='\"$ACCESS_TOKEN\"'&refresh_token='\"$REFRESH_TOKEN\" \\\n")
                .contains("-H 'Authorization: Bearer '\"$ACCESS_TOKEN\"")
                .contains("--data-raw 'grant_type=refresh_token&refresh_token='\"$REFRESH_TOKEN\"'&client_id=shop-web"
                        + "&client_secret='\"$CLIENT_SECRET\"")
                .contains("#   export ACCESS_TOKEN=...").contains("#   export CLIENT_SECRET=...")
                .contains("#   export REFRESH_TOKEN=...")
                .doesNotContain("refresh_token='\"$ACCESS_TOKEN").doesNotContain("«");
        for (String raw : carolRaw) {
            assertThat(curl).doesNotContain(raw);
        }
    }

    @Test
    void shards_health_and_metrics_report_documents_and_writer_counters() {
        JsonNode shards = body(v.get("/api/shards"));
        assertThat(shards.size()).isGreaterThanOrEqualTo(2);
        JsonNode health = body(v.get("/health"));
        assertThat(health.get("status").asText()).isEqualTo("up");
        assertThat(health.get("documents").asLong()).isGreaterThanOrEqualTo(made.records());
        String metrics = v.get("/metrics").body();
        assertThat(metrics).contains("# TYPE tokentrail_shards gauge")
                .contains("tokentrail_shard_documents{component=\"gateway\",node=\"gw1\"} 7")
                .contains("tokentrail_shard_documents{component=\"keycloak\",node=\"kc1\"} 4")
                .contains("tokentrail_writer_indexed_total{component=\"gateway\",node=\"gw1\"} 7")
                .contains("tokentrail_writer_dropped_total{component=\"keycloak\",node=\"kc1\"} 0");
        // A scraper's token opens /metrics and /health and nothing else.
        HttpResponse<String> scrape = v.send(HttpRequest.newBuilder(URI.create(v.url("/metrics")))
                .header("Authorization", "Bearer metrics-token-0123456789abcdefghij"));
        assertThat(scrape.statusCode()).isEqualTo(200);
        HttpResponse<String> notData = v.send(HttpRequest.newBuilder(URI.create(v.url("/api/shards")))
                .header("Authorization", "Bearer metrics-token-0123456789abcdefghij"));
        assertThat(notData.statusCode()).isEqualTo(401);
    }

    @Test
    void live_tail_pushes_records_indexed_after_it_opened_including_new_shards() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpResponse<InputStream> stream = v.http.send(HttpRequest.newBuilder(URI.create(v.url("/api/tail")))
                .header("Authorization", "Bearer " + RunningViewer.TOKEN).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        Thread readerThread = Thread.ofVirtual().start(() -> {
            try (BufferedReader br = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = br.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception closed) {
                // the test ends the stream
            }
        });
        try {
            Thread.sleep(500);
            // A shard that did not exist when the viewer started.
            TestData.write(root, "gateway", "gw-late", List.of(TestData.exchange("x-late", Instant.now(),
                    null, "«token:none»", "GET", "/late", null, 200, Body.NONE, "curl")));
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.contains("\"x-late\"")));
            assertThat(lines).anyMatch(l -> l.equals("event: record"));
            assertThat(lines.stream().filter(l -> l.contains("\"x-a1-0\"")).count()).isZero();
        } finally {
            stream.body().close();
            readerThread.interrupt();
        }
    }

    @Test
    void bad_input_gets_a_clear_error() {
        HttpResponse<String> noKey = v.get("/api/timeline");
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(body(noKey).get("error").asText()).contains("key");
        HttpResponse<String> notJson = v.send(HttpRequest.newBuilder(URI.create(v.url("/api/search")))
                .header("Authorization", "Bearer " + RunningViewer.TOKEN).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("q=alice")));
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(v.get("/api/search?q=alice&size=5000").statusCode()).isEqualTo(400);
    }
}
