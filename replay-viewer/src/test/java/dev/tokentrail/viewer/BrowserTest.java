package dev.tokentrail.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokentrail.index.findings.Rule;
import dev.tokentrail.index.model.Finding;
import dev.tokentrail.index.store.RecordCodec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The UI in real headless Chromium (Debian's chromium + chromium-driver), over shards written by the real writer. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserTest {

    static final int BIG = 1_000;
    static final String HOSTILE_FINDING = "F-hostile-summary";
    static final String HOSTILE_SUMMARY = "Token replayed: <img src=x onerror=alert(1)> after logout";

    @TempDir
    static Path root;
    @TempDir
    static Path profile;
    @TempDir
    static Path downloads;

    RunningViewer v;
    TestData.Made made;
    String bigKey;
    ChromeDriver driver;
    WebDriverWait wait;
    final Path artifacts = Path.of(System.getProperty("tokentrail.artifacts", "target"));

    @BeforeAll
    void start() {
        Instant start = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        made = TestData.fill(root, start);
        bigKey = TestData.fillBig(root, start.plusSeconds(600), BIG);
        // A stored finding whose summary is hostile markup (summaries quote captured values).
        TestData.write(root, "findings", "t", List.of(new Finding(HOSTILE_FINDING, start.plusSeconds(20),
                "USE_AFTER_LOGOUT", Finding.Severity.HIGH, HOSTILE_SUMMARY, List.of("ev-1", "x-a1-1"), TestData.A1,
                TestData.SESSION, null, "alice", "198.51.100.4", start.minusSeconds(280), start.plusSeconds(320), "t")));
        v = new RunningViewer(root);

        ChromeOptions o = new ChromeOptions();
        o.setBinary(System.getProperty("tokentrail.chromium", "/usr/bin/chromium"));
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,1000");
        o.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, o);
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    @AfterAll
    void stop() {
        try {
            if (driver != null) {
                driver.quit();
            }
        } finally {
            if (v != null) {
                v.close();
            }
        }
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    void assertNoAlert() {
        assertThatThrownBy(() -> driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    @Order(1)
    void logs_in_with_the_printed_url_and_lands_on_a_clean_url() {
        driver.get(v.url("/api/me"));
        assertThat(driver.getPageSource()).contains("login required");
        driver.get(v.url("/?token=" + RunningViewer.TOKEN));
        wait.until(d -> d.findElement(By.id("who")).getText().contains("local"));
        assertThat(driver.getCurrentUrl()).doesNotContain("token").endsWith("/");
        assertThat(driver.manage().getCookieNamed("tt_session").isHttpOnly()).isTrue();
        assertThat(js("return document.cookie")).isEqualTo("");
    }

    @Test
    @Order(2)
    void searches_by_a_pasted_token_and_opens_its_timeline() throws Exception {
        driver.get(v.url("/#/"));
        WebElement q = wait.until(d -> d.findElement(By.id("q")));
        q.sendKeys(made.rawA1());
        driver.findElement(By.id("search-btn")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#results tr[data-id='x-a1-post']")).isEmpty());
        assertThat(driver.getCurrentUrl()).doesNotContain(made.rawA1().substring(0, 20));

        driver.findElement(By.id("timeline-btn")).click();
        WebElement tl = wait.until(d -> d.findElement(By.cssSelector("#timeline[data-rendered-ms]")));
        assertThat(driver.getCurrentUrl()).contains("#/timeline/fingerprint%3A").doesNotContain(made.rawA1().substring(0, 20));
        assertThat(tl.findElements(By.cssSelector("tr[data-id]")).size()).isGreaterThanOrEqualTo(8);
        assertThat(tl.findElements(By.cssSelector("th.lane")).size()).isGreaterThanOrEqualTo(3);
        assertThat(driver.findElement(By.id("refresh-chain")).getText()).contains("refresh").contains("issued");
        assertThat(tl.findElements(By.cssSelector("#activity canvas"))).isNotEmpty();
        assertThat(tl.getText()).contains("<script>alert(2)</script>");
        assertNoAlert();
        // Counts in proper singular and plural: this token has one session.
        JsonNode t = RecordCodec.mapper().readTree(v.get("/api/timeline?size=1000&key="
                + java.net.URLEncoder.encode(driver.findElement(By.id("tl-key")).getText(), "UTF-8")).body());
        assertThat(t.get("sessionIds").size()).isEqualTo(1);
        assertThat(driver.findElement(By.id("tl-counts")).getText()).isEqualTo(count(t.get("items").size(), "record")
                + " · " + count(t.get("tokenIds").size(), "token") + " · 1 session");
        Files.createDirectories(artifacts);
        Files.write(artifacts.resolve("timeline.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    @Order(3)
    void exports_the_timeline_as_har_that_parses_back() throws Exception {
        wait.until(d -> d.findElement(By.id("export-har"))).click();
        Path har = awaitDownload(".har");
        JsonNode log = RecordCodec.mapper().readTree(har.toFile()).get("log");
        assertThat(log.get("version").asText()).isEqualTo("1.2");
        assertThat(log.get("entries").size()).isGreaterThanOrEqualTo(5);
        assertThat(log.get("entries").get(0).get("request").get("url").asText()).startsWith("https://shop.example/");
        assertThat(Files.readString(har)).doesNotContain(made.rawA1());
    }

    Path awaitDownload(String suffix) {
        return wait.until(d -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return files.filter(f -> f.toString().endsWith(suffix)).findFirst().orElse(null);
            } catch (Exception e) {
                return null;
            }
        });
    }

    @Test
    @Order(4)
    void opens_an_exchange_with_masks_truncation_and_replay_window() {
        driver.get(v.url("/#/exchange/x-a1-post"));
        WebElement x = wait.until(d -> d.findElement(By.id("exchange")));
        wait.until(d -> !d.findElements(By.cssSelector("#around-results tr.current")).isEmpty());
        assertThat(x.findElements(By.cssSelector("#req-body .masked")).stream().map(WebElement::getText))
                .contains("«masked:password»");
        assertThat(driver.findElement(By.cssSelector("#req-body .truncated")).getText()).contains("2.0 KiB");
        // Pretty-printed without parsing: 1e400 stays as captured.
        assertThat(driver.findElement(By.cssSelector("#req-body pre")).getText()).contains("\"amount\": 1e400");
        driver.findElement(By.id("curl-btn")).click();
        wait.until(d -> d.findElement(By.id("curl")).getText().contains("curl -X"));
        assertThat(driver.findElement(By.id("curl")).getText()).contains("$ACCESS_TOKEN").doesNotContain("«");
    }

    @Test
    @Order(5)
    void hostile_values_v1_to_v3_show_as_text_and_run_nothing() {
        driver.get(v.url("/#/exchange/x-hostile"));
        WebElement x = wait.until(d -> d.findElement(By.id("exchange")));
        wait.until(d -> !d.findElements(By.cssSelector("#around-results table")).isEmpty());
        String text = x.getText();
        // V1: the body and the path are shown literally.
        assertThat(text).contains("<img src=x onerror=alert(1)>").contains("<script>alert(2)</script>");
        assertThat(js("return document.querySelector('img[src=x]')")).isNull();
        assertThat(js("return document.querySelector('main script, main img, main iframe')")).isNull();
        assertNoAlert();
        // V2: a javascript: header value is text, never a link target.
        assertThat(text).contains(TestData.V2_HEADER);
        assertThat((Boolean) js("return [...document.querySelectorAll('a[href]')].every(a => "
                + "a.getAttribute('href').startsWith('#/') || a.getAttribute('href').startsWith('/api/'))")).isTrue();
        // V3: a 10,000-character user agent does not push the page sideways.
        long scrollWidth = (Long) js("return document.documentElement.scrollWidth");
        long viewport = (Long) js("return window.innerWidth");
        assertThat(scrollWidth).isLessThanOrEqualTo(viewport + 2);
        // The same values in the search list and the live rows.
        driver.get(v.url("/#/"));
        WebElement q = wait.until(d -> d.findElement(By.id("q")));
        q.clear();
        q.sendKeys("alice");
        driver.findElement(By.id("search-btn")).click();
        // The previous result list is replaced when the new one arrives: read the row inside the wait.
        wait.ignoring(StaleElementReferenceException.class).until(d -> !d.findElements(
                By.cssSelector("#results tr[data-id='x-hostile']")).isEmpty() && d.findElement(
                By.cssSelector("#results tr[data-id='x-hostile']")).getText().contains("<script>alert(2)</script>"));
        assertThat(js("return document.querySelector('main script, main img')")).isNull();
        assertNoAlert();
    }

    @Test
    @Order(6)
    void audit_screen_lists_what_was_looked_at_without_the_pasted_token() {
        // Audit entries are records in the viewer's shard: visible once committed (about a second).
        // Wait for the newest ones (the exchanges opened last), not only for older ones.
        WebElement a = wait.ignoring(StaleElementReferenceException.class).until(d -> {
            d.get(v.url("/#/audit"));
            d.navigate().refresh();
            WebElement e = d.findElement(By.id("audit"));
            return e.getText().contains("export-har") && e.getText().contains(" exchange ") ? e : null;
        });
        assertThat(a.getText()).contains("search").contains("timeline").contains("exchange").contains("export-har")
                .doesNotContain(made.rawA1().substring(0, 20));
    }

    @Test
    @Order(7)
    void measures_the_render_time_of_a_1000_event_timeline() throws Exception {
        // Not asserted tightly: printed and kept as an artifact for the report.
        long[] samples = new long[3];
        long[] wall = new long[3];
        long[] fetch = new long[3];
        for (int i = 0; i < samples.length; i++) {
            driver.get(v.url("/#/"));
            wait.until(d -> d.findElement(By.id("q")));
            long t0 = System.nanoTime();
            driver.get(v.url("/#/timeline/" + bigKey));
            WebElement tl = wait.until(d -> d.findElement(By.cssSelector("#timeline[data-rendered-ms]")));
            wall[i] = (System.nanoTime() - t0) / 1_000_000;
            assertThat(tl.getAttribute("data-count")).isEqualTo(String.valueOf(BIG));
            samples[i] = Long.parseLong(tl.getAttribute("data-rendered-ms"));
            fetch[i] = Long.parseLong(tl.getAttribute("data-fetch-ms"));
        }
        String line = "1,000-event timeline in headless Chromium: fetch+render " + List.of(samples[0], samples[1], samples[2])
                + " ms (in-page; of which API fetch " + List.of(fetch[0], fetch[1], fetch[2]) + " ms), navigation to rendered " + List.of(wall[0], wall[1], wall[2]) + " ms (WebDriver wall clock)";
        System.out.println("RENDER " + line);
        Files.createDirectories(artifacts);
        Files.writeString(artifacts.resolve("render-time.txt"), line + "\n");
        Files.write(artifacts.resolve("timeline-1000.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    @Order(8)
    void findings_screen_shows_findings_as_text_and_leads_to_their_replay_window() throws Exception {
        driver.get(v.url("/#/findings"));
        WebElement row = wait.until(d -> d.findElement(By.cssSelector("#findings tr[data-id='" + HOSTILE_FINDING + "']")));
        // The rebuild at start found the refresh token reuse of the fixture too: newest first.
        List<WebElement> rows = driver.findElements(By.cssSelector("#findings tbody tr"));
        assertThat(rows.get(0).getText()).contains("REFRESH_REUSE");
        assertThat(row.findElement(By.cssSelector("td.summary")).getText()).isEqualTo(HOSTILE_SUMMARY);
        assertThat(js("return document.querySelector('main img, main script')")).isNull();
        assertNoAlert();

        row.findElement(By.cssSelector("a.replay")).click();
        WebElement f = wait.until(d -> d.findElement(By.id("finding")));
        assertThat(f.findElement(By.id("finding-summary")).getText()).isEqualTo(HOSTILE_SUMMARY);
        assertThat(f.findElement(By.id("finding-explanation")).getText()).isEqualTo(Rule.USE_AFTER_LOGOUT.explanation());
        WebElement window = wait.until(d -> d.findElement(By.cssSelector("#finding-window table")));
        assertThat(window.findElements(By.cssSelector("tr[data-id='x-a1-0'], tr[data-id='x-a1-post']"))).hasSize(2);
        assertThat(window.findElement(By.cssSelector("tr[data-id='x-a1-1']")).getAttribute("class")).contains("current");
        assertThat(js("return document.querySelector('main img, main script')")).isNull();
        assertNoAlert();
        Files.createDirectories(artifacts);
        Files.write(artifacts.resolve("finding.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));

        // The finding shares its time with the exchange that triggered it (x-a1-1) and sorts right after it.
        assertThat(js("return document.querySelector(\"#finding-window tr[data-id='" + HOSTILE_FINDING
                + "']\").previousElementSibling.getAttribute('data-id')")).isEqualTo("x-a1-1");

        // On the token's timeline: a marked row carrying the rule's explanation, and a mark on the chart.
        driver.findElement(By.id("finding-timeline")).click();
        WebElement marked = wait.until(d -> d.findElement(By.cssSelector("#timeline tr.finding[data-id='" + HOSTILE_FINDING + "']")));
        assertThat(js("return arguments[0].previousElementSibling.getAttribute('data-id')", marked)).isEqualTo("x-a1-1");
        String legend = driver.findElement(By.cssSelector("#timeline .legend")).getText();
        long shownFindings = driver.findElements(By.cssSelector("#timeline tr.finding")).size();
        assertThat(legend).contains(" · " + shownFindings + (shownFindings == 1 ? " finding" : " findings"))
                .doesNotContainPattern("\\b1 findings\\b");
        assertThat(marked.getText()).contains("USE_AFTER_LOGOUT").contains(HOSTILE_SUMMARY)
                .contains(Rule.USE_AFTER_LOGOUT.explanation());
        wait.until(d -> d.findElement(By.cssSelector("#activity[data-findings]")));
        assertThat(Integer.parseInt(driver.findElement(By.id("activity")).getAttribute("data-findings"))).isPositive();
        assertThat(js("return document.querySelector('main img[src=x]')")).isNull();
        assertNoAlert();
    }

    @Test
    @Order(9)
    void live_tail_says_how_many_records_arrived_too_fast_to_show() {
        driver.get(v.url("/#/tail"));
        wait.until(d -> d.findElement(By.id("tail-status")).getText().startsWith("Live"));
        // The server counts the browser as following before anything is written, so all of it is new to the tail.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> v.get("/metrics").body()
                .lines().anyMatch(l -> l.startsWith("tokentrail_viewer_tail_clients ") && !l.endsWith(" 0")));
        int over = 250;
        Instant t = Instant.now();
        // More than one poll may send, in one commit: the tail sends its cap and reports the rest.
        TestData.writeInOneCommit(root, "gateway", "tail-burst", java.util.stream.IntStream
                .range(0, LiveConfig.DEFAULT_TAIL_MAX_PER_TICK + over)
                .mapToObj(i -> (dev.tokentrail.index.model.ReplayRecord) TestData.exchange("tail-" + i, t.plusMillis(i),
                        null, "«token:none»", "GET", "/tail/" + i, null, 200, dev.tokentrail.index.model.Body.NONE, "load"))
                .toList());
        WebElement note = wait.until(d -> d.findElement(By.cssSelector("#tail-rows tr.skipped")));
        // Shown as the other screens show times: UTC, to the millisecond.
        java.time.format.DateTimeFormatter shown = java.time.format.DateTimeFormatter
                .ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(java.time.ZoneOffset.UTC);
        assertThat(note.getText()).isEqualTo(over + " records arrived too fast to show ("
                + shown.format(t.plusMillis(LiveConfig.DEFAULT_TAIL_MAX_PER_TICK)) + " to "
                + shown.format(t.plusMillis(LiveConfig.DEFAULT_TAIL_MAX_PER_TICK + over - 1))
                + " UTC); search the time range");
        assertThat(note.getAttribute("data-skipped")).isEqualTo(String.valueOf(over));
        // The rows sent before the note are the newest of those shown (newest on top, below the note).
        assertThat(driver.findElements(By.cssSelector("#tail-rows tr[data-id]")).get(0).getAttribute("data-id"))
                .isEqualTo("tail-" + (LiveConfig.DEFAULT_TAIL_MAX_PER_TICK - 1));
        assertNoAlert();
    }

    /** The UI's ordering and counting, called as the screens call them, on records made up to corner them. */
    @Test
    @Order(10)
    void a_finding_sorts_right_after_the_records_it_names_at_its_time_and_counts_are_singular_for_one() {
        driver.get(v.url("/#/shards"));
        wait.until(d -> d.findElement(By.id("shards")));
        String t = "2026-03-01T10:00:00";
        String items = "["
                + "{\"kind\":\"exchange\",\"id\":\"x2\",\"time\":\"" + t + ".001Z\"},"
                + "{\"kind\":\"finding\",\"id\":\"F-b\",\"time\":\"" + t + "Z\",\"recordIds\":[\"e-old\"]},"
                + "{\"kind\":\"finding\",\"id\":\"F-a\",\"time\":\"" + t + ".000Z\",\"recordIds\":[\"e-old\",\"x1\"]},"
                + "{\"kind\":\"exchange\",\"id\":\"x1\",\"time\":\"" + t + "Z\"},"
                + "{\"kind\":\"finding\",\"id\":\"F-c\",\"time\":\"" + t + "Z\",\"recordIds\":[\"e1\"]},"
                + "{\"kind\":\"event\",\"id\":\"e1\",\"time\":\"" + t + "Z\"},"
                + "{\"kind\":\"event\",\"id\":\"e-old\",\"time\":\"2026-03-01T09:59:59Z\"},"
                + "{\"kind\":\"finding\",\"id\":\"F-0\",\"time\":\"2026-03-01T09:00:00Z\"}]";
        Object order = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "import('/app/timeline.js').then(m => done(m.byTime(JSON.parse(arguments[0])).map(r => r.id).join(' ')))"
                + ".catch(e => done('failed: ' + e));", items);
        // F-c names e1, F-a names x1 (and an older event), F-b only an older one: after all of its time.
        assertThat(order).isEqualTo("F-0 e-old e1 F-c x1 F-a F-b x2");

        Object counts = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "import('/app/format.js').then(m => done([m.count(1, 'session'), m.count(0, 'finding'), m.count(2, 'token'),"
                + "m.count(1, 'finding'), m.count(1000, 'record')].join('|'))).catch(e => done('failed: ' + e));");
        assertThat(counts).isEqualTo("1 session|0 findings|2 tokens|1 finding|1,000 records");
    }

    @Test
    @Order(11)
    void a_slow_screen_left_behind_never_replaces_the_one_navigated_to_after_it() {
        driver.get(v.url("/#/audit"));
        wait.until(d -> d.findElement(By.id("audit")));
        // The shard list answers late (held for 1.5 s in the page); meanwhile the user moves on to Search.
        js("const real = window.fetch; window.fetch = (url, o) => String(url).startsWith('/api/shards')"
                + " ? new Promise(r => setTimeout(r, 1500)).then(() => real(url, o)) : real(url, o);"
                + "location.hash = '#/shards'; setTimeout(() => { location.hash = '#/'; }, 100);");
        try {
            wait.until(d -> d.findElement(By.id("q")));
            org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
                    .until(() -> true);
            assertThat(driver.findElements(By.id("q"))).hasSize(1);
            assertThat(driver.findElements(By.id("shards"))).isEmpty();
        } finally {
            driver.navigate().refresh(); // the page's own fetch again
        }
    }

    @Test
    @Order(12)
    void search_results_show_a_findings_rule_and_severity_as_text() {
        driver.get(v.url("/#/"));
        WebElement q = wait.until(d -> d.findElement(By.id("q")));
        q.clear();
        q.sendKeys("alice");
        driver.findElement(By.id("search-btn")).click();
        WebElement row = wait.ignoring(StaleElementReferenceException.class).until(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#results tr[data-id='" + HOSTILE_FINDING + "']"));
            return rows.isEmpty() || rows.get(0).findElement(By.cssSelector("td.what")).getText().isEmpty() ? null : rows.get(0);
        });
        WebElement what = row.findElement(By.cssSelector("td.what"));
        assertThat(what.findElement(By.cssSelector(".rule")).getText()).isEqualTo("⚑ USE_AFTER_LOGOUT");
        assertThat(what.findElement(By.cssSelector(".severity")).getText()).isEqualTo("HIGH");
        assertThat(what.getText()).startsWith("⚑ USE_AFTER_LOGOUT HIGH").contains(HOSTILE_SUMMARY);
        assertThat(row.findElement(By.cssSelector("a.open")).getAttribute("href")).endsWith("#/finding/" + HOSTILE_FINDING);
        assertThat(js("return document.querySelector('main img, main script')")).isNull();
        assertNoAlert();
    }

    @Test
    @Order(13)
    void every_page_names_the_svg_icon_and_the_browser_loads_it() {
        for (String page : List.of("/#/", "/login")) {
            driver.get(v.url(page));
            wait.until(d -> d.findElement(By.cssSelector("link[rel=icon]")));
            assertThat(driver.findElement(By.cssSelector("link[rel=icon]")).getAttribute("href")).isEqualTo(v.url("/app/icon.svg"));
            // Loaded as an image under the page's CSP.
            Object loaded = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "const img = new Image(); img.onload = () => done(img.naturalWidth); img.onerror = () => done(-1);"
                    + "img.src = document.querySelector('link[rel=icon]').href;");
            assertThat(((Number) loaded).intValue()).as(page).isPositive();
        }
    }

    @Test
    @Order(14)
    void the_browser_reported_no_content_security_policy_violation() {
        List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
        assertThat(entries).noneMatch(e -> e.getMessage().contains("Content Security Policy")
                || e.getMessage().contains("TrustedHTML") || e.getMessage().contains("Trusted Type"));
        assertThat(entries).noneMatch(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()
                && !e.getMessage().contains("401"));
    }
}
