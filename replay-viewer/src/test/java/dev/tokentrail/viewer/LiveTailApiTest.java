package dev.tokentrail.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.store.RecordCodec;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live tail over shards written by the real {@code ShardWriter}: what arrives between two polls
 * is sent oldest first up to the cap, and whatever is beyond the cap is reported as a count,
 * never dropped without a word.
 */
class LiveTailApiTest {

    /** The documented default cap; the test runs the viewer as shipped. */
    static final int CAP = LiveConfig.DEFAULT_TAIL_MAX_PER_TICK;
    /** Four times the cap (twenty times the 200 the old tail asked for) in one commit. */
    static final int BURST = 4 * CAP;
    static final int CALM = 300;

    @TempDir
    Path root;
    RunningViewer v;
    final ObjectMapper json = RecordCodec.mapper();
    /** The stream as parsed Server-Sent Events, in arrival order. */
    final List<Event> events = new CopyOnWriteArrayList<>();
    HttpResponse<InputStream> stream;
    Thread readerThread;

    /** One event; {@code id} is the record's id for {@code event: record}, else null. */
    record Event(String name, String data, String id) {
    }

    @BeforeEach
    void start() throws Exception {
        // Findings off: the viewer's own shard adds nothing to the tail, so every event is accounted for.
        v = new RunningViewer(root, new FindingsOptions(false, null, null, null, null, 0, 0, null));
        stream = v.http.send(HttpRequest.newBuilder(URI.create(v.url("/api/tail")))
                .header("Authorization", "Bearer " + RunningViewer.TOKEN).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        readerThread = Thread.ofVirtual().start(() -> {
            try (BufferedReader br = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String name = null;
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = br.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (name != null) {
                            String d = data.toString();
                            events.add(new Event(name, d, name.equals("record") ? json.readTree(d).get("id").asText() : null));
                        }
                        name = null;
                        data.setLength(0);
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).strip());
                    }
                }
            } catch (Exception closed) {
                // the test ends the stream
            }
        });
        // Attached: records timed from now on are after the point the tail starts from.
        await().atMost(Duration.ofSeconds(20)).until(() -> tailClients() == 1);
    }

    long tailClients() {
        String metrics = v.get("/metrics").body();
        return metrics.lines().filter(l -> l.startsWith("tokentrail_viewer_tail_clients ")).mapToLong(
                l -> Long.parseLong(l.substring(l.indexOf(' ') + 1).strip())).findFirst().orElse(-1);
    }

    @AfterEach
    void stop() {
        try {
            if (stream != null) {
                stream.body().close();
            }
            if (readerThread != null) {
                readerThread.interrupt();
            }
        } catch (Exception ignored) {
            // closing a stream the server may have closed already
        } finally {
            v.close();
        }
    }

    static List<ReplayRecord> exchanges(String prefix, int n, Instant first) {
        List<ReplayRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // No token, status 200: ordinary traffic, one millisecond apart, ids in time order.
            out.add(TestData.exchange(String.format("%s-%04d", prefix, i), first.plusMillis(i), null, "«token:none»",
                    "GET", "/items/" + i, null, 200, Body.NONE, "load"));
        }
        return out;
    }

    static List<String> ids(String prefix, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(String.format("%s-%04d", prefix, i));
        }
        return out;
    }

    boolean received(String id) {
        return events.stream().anyMatch(e -> id.equals(e.id()));
    }

    @Test
    void a_burst_beyond_the_cap_is_sent_oldest_first_up_to_the_cap_and_the_rest_is_reported_as_skipped() throws Exception {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        // 1. Far more than the cap in one commit, so one poll meets all of it.
        TestData.writeInOneCommit(root, "gateway", "burst", exchanges("burst", BURST, t0));
        await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(e -> e.name().equals("skipped")));

        // 2. Fewer than the cap: every one of them, no skip.
        Instant t1 = t0.plusSeconds(10);
        TestData.writeInOneCommit(root, "gateway", "calm", exchanges("calm", CALM, t1));
        await().atMost(Duration.ofSeconds(30)).until(() -> received(String.format("calm-%04d", CALM - 1)));

        // 3. A record that becomes visible after newer ones were sent (another writer committing later,
        // or a slow response), within the lag: sent once, when it shows up.
        TestData.writeInOneCommit(root, "gateway", "late", List.of(TestData.exchange("late-0150", t1.plusMillis(150)
                .plusNanos(500_000), null, "«token:none»", "GET", "/late", null, 200, Body.NONE, "slow")));
        await().atMost(Duration.ofSeconds(30)).until(() -> received("late-0150"));

        // 4. One more commit after it: once this arrives, the polls that could repeat anything have run.
        TestData.writeInOneCommit(root, "gateway", "end", List.of(TestData.exchange("end-0000", t1.plusSeconds(20),
                null, "«token:none»", "GET", "/end", null, 200, Body.NONE, "load")));
        await().atMost(Duration.ofSeconds(30)).until(() -> received("end-0000"));

        List<String> expected = new ArrayList<>(ids("burst", 0, CAP));
        expected.add("skipped");
        expected.addAll(ids("calm", 0, CALM));
        expected.add("late-0150");
        expected.add("end-0000");
        List<String> got = events.stream().map(e -> e.name().equals("skipped") ? "skipped" : e.id()).toList();
        // Exactly this: the oldest CAP of the burst in order, one report, then everything else once, in order.
        assertThat(got).containsExactlyElementsOf(expected);

        JsonNode skipped = json.readTree(events.stream().filter(e -> e.name().equals("skipped")).findFirst()
                .orElseThrow().data());
        assertThat(skipped.get("skipped").asLong()).isEqualTo(BURST - CAP);
        assertThat(skipped.get("maxPerTick").asInt()).isEqualTo(CAP);
        // The range to search for what was not shown: from the first record not sent to the last one counted.
        assertThat(Instant.parse(skipped.get("from").asText())).isEqualTo(t0.plusMillis(CAP));
        assertThat(Instant.parse(skipped.get("to").asText())).isEqualTo(t0.plusMillis(BURST - 1));
        JsonNode first = json.readTree(events.get(0).data());
        assertThat(first.get("kind").asText()).isEqualTo("exchange");
        assertThat(first.get("path").asText()).isEqualTo("/items/0");

        // And what was not shown is where the event says: a search over that range finds exactly it.
        JsonNode rest = json.readTree(v.get("/api/search?kind=exchange&order=oldest&size=1000&from="
                + skipped.get("from").asText() + "&to=" + Instant.parse(skipped.get("to").asText()).plusNanos(1_000)).body());
        assertThat(rest.get("items").get(0).get("id").asText()).isEqualTo(String.format("burst-%04d", CAP));
        assertThat(v.get("/metrics").body()).contains("tokentrail_viewer_tail_skipped_total " + (BURST - CAP) + "\n");
    }
}
