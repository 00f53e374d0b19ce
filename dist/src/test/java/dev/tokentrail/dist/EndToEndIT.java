package dev.tokentrail.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The sandbox's stack and scenario, checked from the outside: real Keycloak 26.7.4 with the
 * shipped provider jar, the real Gravitee 4.10.9 gateway with the shipped policy zip and the real
 * JWT plan, the shipped viewer jar in OIDC mode against Keycloak, the demo backend. Every
 * assertion goes through the viewer's HTTP API (logged in through Keycloak), a headless Chromium,
 * or the bytes on disk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

    private static final Path ARTIFACTS = Path.of(System.getProperty("tokentrail.artifacts", "target"));

    private final Progress progress = new Progress(System.out, false);
    private Stack stack;
    private Scenario.Result story;
    private long t0;
    /** Authorization codes and session cookies of the test's own viewer logins: never to be stored. */
    private final List<String> viewerLoginSecrets = new ArrayList<>();

    @RegisterExtension
    final TestWatcher logsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (stack != null) {
                System.out.println(stack.keycloakLogTail(60));
                System.out.println(stack.viewerLogTail(40));
                System.out.println(stack.gatewayLogTail(40));
            }
        }
    };

    @BeforeAll
    void start_the_stack_and_play_the_scenario() throws Exception {
        t0 = System.nanoTime();
        Path work = Path.of(System.getProperty("tokentrail.work.dir"));
        Stack.Config config = new Stack.Config(work, work.resolve("cache"), Path.of(System.getProperty("tokentrail.keycloak.zip")),
                Path.of(System.getProperty("tokentrail.release.dir")), 0, 0, 0, 0,
                Path.of(System.getProperty("tokentrail.gateway.runner")),
                Path.of(System.getProperty("tokentrail.gateway.plugins")), 0);
        stack = new Stack().start(config, progress);
        story = Scenario.play(stack, progress);
    }

    @AfterAll
    void stop() throws IOException {
        if (stack != null) {
            stack.close();
        }
        Files.writeString(ARTIFACTS.resolve("e2e-duration.txt"), String.format(
                "end-to-end: stack + scenario + checks in %.0f s (Keycloak ready in %s s, gateway in %s s)%n",
                (System.nanoTime() - t0) / 1e9, stack == null || stack.keycloakStartTime() == null ? "?"
                        : stack.keycloakStartTime().toSeconds(), stack == null || stack.gatewayStartTime() == null ? "?"
                        : stack.gatewayStartTime().toSeconds()));
    }

    // ---- OIDC login of the viewer against the real Keycloak ---------------------------------------

    @Test
    @Order(1)
    void the_viewer_sends_a_visitor_to_keycloak_and_lets_an_auditor_in() throws Exception {
        Http browser = new Http();
        Http.Reply home = browser.get(stack.viewerUrl() + "/");
        assertThat(home.status()).isEqualTo(303);
        assertThat(home.location()).isEqualTo("/auth/login");
        Http.Reply start = browser.get(stack.viewerUrl() + "/auth/login");
        assertThat(start.status()).isEqualTo(303);
        assertThat(start.location()).startsWith(stack.realmUrl() + "/protocol/openid-connect/auth?")
                .contains("client_id=tokentrail-viewer").contains("code_challenge_method=S256");

        Http.Reply callback = logIn(browser, "auditor", stack.realm().auditorPassword());
        assertThat(callback.status()).isEqualTo(200);
        JsonNode me = browser.get(stack.viewerUrl() + "/api/me").json();
        assertThat(me.get("via").asText()).isEqualTo("oidc");
        assertThat(me.toString()).contains("auditor");
    }

    @Test
    @Order(2)
    void a_keycloak_user_without_the_auditor_role_is_refused() throws Exception {
        Http browser = new Http();
        Http.Reply callback = logIn(browser, "alice", stack.realm().alicePassword());
        assertThat(callback.status()).isEqualTo(403);
        assertThat(callback.body()).contains("tokentrail-auditor");
        assertThat(browser.get(stack.viewerUrl() + "/api/me").status()).isEqualTo(401);
        assertThat(browser.get(stack.viewerUrl() + "/api/timeline?key=" + enc(story.access1Jti())).status())
                .isEqualTo(401);
    }

    // ---- the trail, through the viewer's API --------------------------------------------------------

    @Test
    @Order(3)
    void the_first_tokens_timeline_links_its_issue_the_refresh_and_the_logout() throws Exception {
        Http auditor = auditor();
        List<JsonNode> events = timelineUntil(auditor, story.access1Jti(), "LOGGED_OUT");
        List<String> types = events.stream().map(EndToEndIT::label).toList();
        assertThat(types).containsSubsequence("ISSUED", "REFRESHED", "LOGGED_OUT");

        JsonNode issued = first(events, "ISSUED");
        assertThat(issued.get("accessTokenId").asText()).isEqualTo(story.access1Jti());
        assertThat(issued.get("refreshTokenId").asText()).isEqualTo(jti(story.refresh1()));
        assertThat(issued.get("session").asText()).isEqualTo(story.sessionId());
        assertThat(issued.get("client").asText()).isEqualTo(DemoRealm.WEB_CLIENT);

        JsonNode refreshed = first(events, "REFRESHED");
        assertThat(refreshed.get("accessTokenId").asText()).isEqualTo(story.access2Jti());
        assertThat(refreshed.get("refreshTokenId").asText()).isEqualTo(jti(story.refresh1()));
        assertThat(refreshed.get("newRefreshTokenId").asText()).isEqualTo(jti(story.refresh2()));

        assertThat(first(events, "LOGGED_OUT").get("session").asText()).isEqualTo(story.sessionId());

        // The same trail is found from the refreshed token: the chain is linked both ways.
        List<String> fromA2 = timelineUntil(auditor, story.access2Jti(), "LOGGED_OUT").stream()
                .map(EndToEndIT::label).toList();
        assertThat(fromA2).containsSubsequence("ISSUED", "REFRESHED", "LOGGED_OUT");
    }

    @Test
    @Order(4)
    void the_stolen_tokens_timeline_holds_its_gateway_calls_the_logout_and_the_replay_from_another_address()
            throws Exception {
        Http auditor = auditor();
        assertThat(story.replayStatus()).as("the JWT plan validates offline: the replay passes").isEqualTo(200);
        assertThat(story.replayRequestId()).isNotBlank();
        List<JsonNode> items = timelineUntil(auditor, story.access1Jti(),
                list -> list.stream().anyMatch(i -> story.replayRequestId().equals(text(i, "id"))), "the replay");
        List<String> story1 = items.stream().map(EndToEndIT::label).toList();
        assertThat(story1).as("timeline of alice's first token").containsSubsequence("ISSUED", "EXCHANGE 200 alice",
                "REFRESHED", "LOGGED_OUT", "EXCHANGE 200 thief");

        JsonNode replay = items.stream().filter(i -> story.replayRequestId().equals(text(i, "id"))).findFirst().orElseThrow();
        assertThat(replay.get("peer").asText()).startsWith(Scenario.THIEF_ADDRESS);
        assertThat(replay.get("path").asText()).isEqualTo(GatewayComponent.CONTEXT_PATH + "/orders/o-1002");
        assertThat(replay.get("tokens").toString()).contains(story.access1Jti());
        assertThat(replay.get("node").asText()).isEqualTo(GatewayComponent.NODE);
        JsonNode aliceCall = items.stream().filter(i -> label(i).equals("EXCHANGE 200 alice")).findFirst().orElseThrow();
        assertThat(aliceCall.get("peer").asText()).startsWith("127.0.0.1");
        assertThat(aliceCall.get("tokens").toString()).contains(story.access1Jti());
        // The replay came after the logout on the same trail.
        JsonNode logout = first(items, "LOGGED_OUT");
        assertThat(java.time.Instant.parse(replay.get("time").asText()))
                .isAfter(java.time.Instant.parse(logout.get("time").asText()));
    }

    @Test
    @Order(5)
    void the_replay_after_logout_is_a_use_after_logout_finding_with_its_replay_window() throws Exception {
        Http auditor = auditor();
        // The viewer evaluates rules incrementally as shards are committed (every second, on records
        // 3 s old in the sandbox): the finding must appear without anyone asking for it.
        JsonNode finding = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (finding == null && System.nanoTime() < deadline) {
            Http.Reply listed = auditor.get(stack.viewerUrl() + "/api/findings?rule=USE_AFTER_LOGOUT&size=200");
            assertThat(listed.status()).as("GET /api/findings: %s", listed.body()).isEqualTo(200);
            finding = useAfterLogout(listed.json());
            if (finding == null) {
                Thread.sleep(500);
            }
        }
        assertThat(finding).as("a USE_AFTER_LOGOUT finding for the replay, stored by the incremental pass").isNotNull();
        // An explicit evaluation over the run (the findings screen's button) finds it again, as the same
        // finding: stored once.
        String runStart = java.time.Instant.ofEpochMilli(System.currentTimeMillis()
                - Duration.ofNanos(System.nanoTime() - t0).toMillis() - 60_000).toString();
        Http.Reply evaluated = auditor.postJson(stack.viewerUrl() + "/api/findings/evaluate",
                "{\"from\":\"" + runStart + "\"}", "Origin", stack.viewerUrl());
        assertThat(evaluated.status()).as(evaluated.body()).isEqualTo(200);
        JsonNode again = useAfterLogout(evaluated.json());
        assertThat(again).as("the on-demand evaluation").isNotNull();
        assertThat(text(again, "id")).isEqualTo(text(finding, "id"));
        Http.Reply relisted = auditor.get(stack.viewerUrl() + "/api/findings?rule=USE_AFTER_LOGOUT&size=200");
        long copies = 0;
        for (JsonNode f : relisted.json().get("items")) {
            copies += text(finding, "id").equals(text(f, "id")) ? 1 : 0;
        }
        assertThat(copies).as("the finding is stored once").isEqualTo(1);
        assertThat(finding).as("a USE_AFTER_LOGOUT finding for the replay").isNotNull();
        assertThat(finding.get("recordIds").toString()).contains(story.replayRequestId());
        assertThat(finding.get("severity").asText()).isIn("HIGH", "CRITICAL");
        assertThat(finding.get("explanation").asText()).isNotBlank();
        java.time.Instant from = java.time.Instant.parse(finding.get("windowFrom").asText());
        java.time.Instant to = java.time.Instant.parse(finding.get("windowTo").asText());
        JsonNode replay = timelineUntil(auditor, story.access1Jti(), list -> list.stream()
                .anyMatch(i -> story.replayRequestId().equals(text(i, "id"))), "the replay").stream()
                .filter(i -> story.replayRequestId().equals(text(i, "id"))).findFirst().orElseThrow();
        java.time.Instant at = java.time.Instant.parse(replay.get("time").asText());
        assertThat(from).as("replay window starts before the replay").isBefore(at);
        assertThat(to).as("replay window ends after the replay").isAfter(at);
    }

    private JsonNode useAfterLogout(JsonNode page) {
        for (JsonNode f : page.get("items")) {
            if ("USE_AFTER_LOGOUT".equals(text(f, "rule")) && f.path("recordIds").toString().contains(story.replayRequestId())) {
                return f;
            }
        }
        return null;
    }

    /** One timeline item as a word: the event type, or EXCHANGE with status and who called (by address). */
    private static String label(JsonNode i) {
        if (i.has("type") && !"exchange".equals(text(i, "kind"))) {
            return i.get("type").asText();
        }
        if ("exchange".equals(text(i, "kind"))) {
            String peer = text(i, "peer") == null ? "" : text(i, "peer");
            String who = peer.startsWith(Scenario.THIEF_ADDRESS) ? "thief" : peer.startsWith("127.0.0.1") ? "alice" : peer;
            return "EXCHANGE " + i.path("status").asInt() + " " + who;
        }
        return String.valueOf(text(i, "kind"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Test
    @Order(6)
    void the_service_accounts_token_and_the_wrong_password_are_on_record() throws Exception {
        Http auditor = auditor();
        JsonNode issued = first(timelineUntil(auditor, story.serviceJti(), "ISSUED"), "ISSUED");
        assertThat(issued.get("client").asText()).isEqualTo(DemoRealm.SERVICE_CLIENT);
        assertThat(issued.get("eventName").asText()).isEqualTo("CLIENT_LOGIN");

        JsonNode errors = auditor.postJson(stack.viewerUrl() + "/api/search", "{\"type\":\"ERROR\",\"client\":\"demo-web\"}",
                "Origin", stack.viewerUrl()).json();
        assertThat(errors.toString()).contains("LOGIN_ERROR");
    }

    // ---- what an investigator sees ----------------------------------------------------------------

    @Test
    @Order(7)
    void headless_chromium_logs_in_through_keycloak_and_shows_the_timeline() throws Exception {
        Path profile = Files.createTempDirectory("tt-e2e-chromium");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(System.getProperty("tokentrail.chromium", "/usr/bin/chromium"));
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,1500");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, o);
        try {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            driver.get(stack.viewerUrl() + "/");
            wait.until(d -> d.getCurrentUrl().startsWith(stack.realmUrl()));
            driver.findElement(By.id("username")).sendKeys("auditor");
            driver.findElement(By.id("password")).sendKeys(stack.realm().auditorPassword());
            driver.findElement(By.id("kc-login")).click();
            wait.until(d -> d.getCurrentUrl().startsWith(stack.viewerUrl()) && !d.getCurrentUrl().contains("/auth/"));
            driver.get(stack.viewerUrl() + "/#/timeline/" + enc(story.access1Jti()));
            WebElement tl = wait.until(d -> d.findElement(By.cssSelector("#timeline[data-rendered-ms]")));
            String text = tl.getText();
            Files.write(ARTIFACTS.resolve("e2e-timeline.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            assertThat(text).as("timeline text").contains("ISSUED", "REFRESHED", "LOGGED_OUT", "/demo/orders/o-1002");
        } finally {
            driver.quit();
        }
    }

    // ---- nothing secret on disk: last, after a clean stop --------------------------------------------

    @Test
    @Order(99)
    void no_token_password_or_client_secret_is_in_any_byte_of_the_data_root_after_a_clean_stop() throws Exception {
        Http auditor = auditor();
        // Decoded records too: what the viewer exports is what the shards hold.
        String exported = auditor.get(stack.viewerUrl() + "/api/export/json?key=" + enc(story.access1Jti())).body()
                + auditor.get(stack.viewerUrl() + "/api/export/json?key=" + enc(story.serviceJti())).body();
        assertThat(exported).contains(story.access1Jti());

        stack.close(); // SIGTERM: the listener drains and commits; everything is on disk now.

        Map<String, String> secrets = new LinkedHashMap<>();
        String[] names = {"access token 1", "refresh token 1", "access token 2", "refresh token 2", "service token"};
        List<String> tokens = story.rawTokens();
        assertThat(tokens).hasSizeGreaterThan(names.length); // the ID tokens of alice's openid scope too
        for (int i = 0; i < tokens.size(); i++) {
            String jwt = tokens.get(i);
            String name = i < names.length ? names[i] : "ID token " + (i - names.length + 1);
            secrets.put(name, jwt);
            secrets.put(name + " (signature)", jwt.substring(jwt.lastIndexOf('.') + 1));
        }
        // The viewer's own login: Keycloak's authorization codes and the viewer's session cookies.
        assertThat(viewerLoginSecrets).isNotEmpty();
        for (int i = 0; i < viewerLoginSecrets.size(); i++) {
            secrets.put("viewer login secret " + (i + 1), viewerLoginSecrets.get(i));
        }
        String[] secretNames = {"alice's password", "auditor's password", "demo-web secret", "demo-service secret",
                "admin password"};
        for (int i = 0; i < secretNames.length; i++) {
            secrets.put(secretNames[i], stack.realm().secrets().get(i));
        }
        secrets.forEach((what, value) -> assertThat(exported).as("export holds " + what).doesNotContain(value));

        SecretScan.Result scan = SecretScan.scan(stack.dataRoot(), secrets);
        assertThat(stack.dataRoot().resolve("keycloak-sandbox")).as("the listener's shard").isDirectory();
        assertThat(stack.dataRoot().resolve("gateway-" + GatewayComponent.NODE)).as("the gateway's shard").isDirectory();
        assertThat(scan.bytes()).as("bytes scanned").isGreaterThan(10_000);
        assertThat(scan.leaks()).as("secrets found in %d files, %d bytes", scan.files(), scan.bytes()).isEmpty();

        // The raw bytes cannot see through compressed stored fields or the term dictionary: decode every
        // document, term and doc value of every shard (events, exchanges, findings, the viewer's audit).
        ShardContents.Result decoded = ShardContents.scan(stack.dataRoot(), secrets);
        assertThat(decoded.shards()).as("keycloak, gateway and viewer shards").isGreaterThanOrEqualTo(3);
        assertThat(decoded.documents()).as("documents decoded").isGreaterThan(story.apiCalls());
        assertThat(decoded.leaks()).as("secrets in %d decoded documents and %d terms", decoded.documents(),
                decoded.terms()).isEmpty();
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private Http auditor() throws Exception {
        Http h = new Http();
        assertThat(logIn(h, "auditor", stack.realm().auditorPassword()).status()).isEqualTo(200);
        return h;
    }

    /** Drives the viewer's OIDC login through Keycloak's real login form; returns the viewer's callback reply. */
    private Http.Reply logIn(Http browser, String user, String password) throws Exception {
        Http.Reply start = browser.get(stack.viewerUrl() + "/auth/login");
        Http.Reply page = browser.get(start.location());
        assertThat(page.status()).as("Keycloak login page").isEqualTo(200);
        Matcher action = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"").matcher(page.body());
        assertThat(action.find()).as("login form in " + page.body()).isTrue();
        Http.Reply posted = browser.postForm(action.group(1).replace("&amp;", "&"),
                Http.fields("username", user, "password", password, "credentialId", ""));
        assertThat(posted.status()).as("Keycloak after the form").isEqualTo(302);
        assertThat(posted.location()).startsWith(stack.viewerUrl() + "/auth/callback?");
        Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(posted.location());
        assertThat(code.find()).as("an authorization code in " + posted.location()).isTrue();
        // Keycloak's code is "<random part>.<session id>.<client id>": the ids are recorded (not secret); the
        // random part, and so the code, must never be.
        String authorizationCode = java.net.URLDecoder.decode(code.group(1), StandardCharsets.UTF_8);
        viewerLoginSecrets.add(authorizationCode.split("\\.", 2)[0]);
        Http.Reply callback = browser.get(posted.location());
        for (String cookie : callback.raw().headers().allValues("Set-Cookie")) {
            String value = cookie.substring(cookie.indexOf('=') + 1).split(";", 2)[0];
            if (value.length() >= 16) {
                viewerLoginSecrets.add(value);
            }
        }
        return callback;
    }

    /** Polls the timeline until an item of this type is in it. */
    private List<JsonNode> timelineUntil(Http auditor, String key, String type) throws Exception {
        return timelineUntil(auditor, key, items -> items.stream().anyMatch(i -> i.has("type")
                && i.get("type").asText().equals(type)), type);
    }

    /** Polls the timeline (the writers commit every 500 ms, the viewer refreshes every 500 ms). */
    private List<JsonNode> timelineUntil(Http auditor, String key, java.util.function.Predicate<List<JsonNode>> done,
                                         String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<JsonNode> items = List.of();
        while (System.nanoTime() < deadline) {
            Http.Reply r = auditor.get(stack.viewerUrl() + "/api/timeline?key=" + enc(key) + "&size=200");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            items = new ArrayList<>();
            r.json().get("items").forEach(items::add);
            if (done.test(items)) {
                return items;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no " + what + " in the timeline of " + key + " after 30 s: " + items);
    }

    private static JsonNode first(List<JsonNode> items, String type) {
        return items.stream().filter(i -> i.has("type") && i.get("type").asText().equals(type)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + items));
    }

    private static String jti(String jwt) {
        return Http.claims(jwt).get("jti").asText();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
