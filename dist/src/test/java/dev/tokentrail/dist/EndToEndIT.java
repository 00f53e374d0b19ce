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
 * shipped provider jar, the shipped viewer jar in OIDC mode against it, the demo backend. Every
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

    @RegisterExtension
    final TestWatcher logsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (stack != null) {
                System.out.println(stack.keycloakLogTail(60));
                System.out.println(stack.viewerLogTail(40));
            }
        }
    };

    @BeforeAll
    void start_the_stack_and_play_the_scenario() throws Exception {
        t0 = System.nanoTime();
        Path work = Path.of(System.getProperty("tokentrail.work.dir"));
        Stack.Config config = new Stack.Config(work, work.resolve("cache"), Path.of(System.getProperty("tokentrail.keycloak.zip")),
                Path.of(System.getProperty("tokentrail.release.dir")), 0, 0, 0, 0);
        stack = new Stack().start(config, progress);
        story = Scenario.play(stack, progress);
    }

    @AfterAll
    void stop() throws IOException {
        if (stack != null) {
            stack.close();
        }
        Files.writeString(ARTIFACTS.resolve("e2e-duration.txt"), String.format(
                "end-to-end: stack + scenario + checks in %.0f s (Keycloak ready in %s s)%n",
                (System.nanoTime() - t0) / 1e9, stack == null || stack.keycloakStartTime() == null ? "?"
                        : stack.keycloakStartTime().toSeconds()));
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
        List<String> types = events.stream().map(e -> e.get("type").asText()).toList();
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
        // TODO(gateway-policy): the gateway exchanges with A1, the post-logout replay from 127.0.0.2 and the
        // USE_AFTER_LOGOUT finding belong in this timeline once the gateway is in the stack.

        // The same trail is found from the refreshed token: the chain is linked both ways.
        List<String> fromA2 = timelineUntil(auditor, story.access2Jti(), "LOGGED_OUT").stream()
                .map(e -> e.get("type").asText()).toList();
        assertThat(fromA2).containsSubsequence("ISSUED", "REFRESHED", "LOGGED_OUT");
    }

    @Test
    @Order(4)
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
    @Order(5)
    void headless_chromium_logs_in_through_keycloak_and_shows_the_timeline() throws Exception {
        Path profile = Files.createTempDirectory("tt-e2e-chromium");
        ChromeOptions o = new ChromeOptions();
        o.setBinary(System.getProperty("tokentrail.chromium", "/usr/bin/chromium"));
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,1000");
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
            assertThat(text).as("timeline text").contains("ISSUED", "REFRESHED", "LOGGED_OUT");
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
        for (int i = 0; i < names.length; i++) {
            String jwt = story.rawTokens().get(i);
            secrets.put(names[i], jwt);
            secrets.put(names[i] + " (signature)", jwt.substring(jwt.lastIndexOf('.') + 1));
        }
        String[] secretNames = {"alice's password", "auditor's password", "demo-web secret", "demo-service secret",
                "admin password"};
        for (int i = 0; i < secretNames.length; i++) {
            secrets.put(secretNames[i], stack.realm().secrets().get(i));
        }
        secrets.forEach((what, value) -> assertThat(exported).as("export holds " + what).doesNotContain(value));

        SecretScan.Result scan = SecretScan.scan(stack.dataRoot(), secrets);
        assertThat(stack.dataRoot().resolve("keycloak-sandbox")).as("the listener's shard").isDirectory();
        assertThat(scan.bytes()).as("bytes scanned").isGreaterThan(10_000);
        assertThat(scan.leaks()).as("secrets found in %d files, %d bytes", scan.files(), scan.bytes()).isEmpty();
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
        return browser.get(posted.location());
    }

    /** Polls the timeline (the listener commits every 500 ms, the viewer refreshes every 500 ms). */
    private List<JsonNode> timelineUntil(Http auditor, String key, String type) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<JsonNode> items = List.of();
        while (System.nanoTime() < deadline) {
            Http.Reply r = auditor.get(stack.viewerUrl() + "/api/timeline?key=" + enc(key) + "&size=200");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            items = new ArrayList<>();
            r.json().get("items").forEach(items::add);
            if (items.stream().anyMatch(i -> i.has("type") && i.get("type").asText().equals(type))) {
                return items;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("no " + type + " in the timeline of " + key + " after 30 s: " + items);
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
