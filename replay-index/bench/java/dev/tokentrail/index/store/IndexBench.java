package dev.tokentrail.index.store;

import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Header;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import dev.tokentrail.index.query.PageRequest;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.query.Timeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;

/**
 * The replay-index benchmark: ingest through ShardWriter vs raw Lucene indexing of the same
 * documents, bytes on disk vs raw JSON, and timeline latency over the ingested shards.
 * Run: {@code ./mvnw -pl replay-index -Pbench verify -Dbench.args="--exchanges=1000000"}.
 */
public final class IndexBench {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final int PER_SESSION = 50;
    private static final String[] WORDS = ("widget gadget blue red green large small express standard refund "
            + "invoice shipped pending paid cancelled warehouse berlin paris lisbon oslo rome madrid").split(" ");

    public static void main(String[] args) throws Exception {
        int n = 1_000_000;
        int queries = 2_000;
        Path base = Files.createTempDirectory("tokentrail-bench");
        // Maven hands -Dbench.args over as one argument: split it.
        for (String a : String.join(" ", args).trim().split("\\s+")) {
            if (a.startsWith("--exchanges=")) n = Integer.parseInt(a.substring(12));
            if (a.startsWith("--queries=")) queries = Integer.parseInt(a.substring(10));
            if (a.startsWith("--dir=")) base = Path.of(a.substring(6));
        }
        System.out.printf("replay-index bench: %,d exchanges (2 x ~1 KB JSON bodies), %d cores, %s%n", n,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        warmUp(base.resolve("warmup"));

        // 1. Baseline: raw Lucene, same documents, same codec, one thread, commit every second.
        Path rawDir = base.resolve("raw");
        long rawNanos = rawLucene(rawDir, n);
        double rawRate = n / (rawNanos / 1e9);
        System.out.printf("raw Lucene      : %,10.0f exchanges/s  (%.1f s)%n", rawRate, rawNanos / 1e9);

        // 2. ShardWriter: offer from a producer thread, writer thread indexes, close drains.
        Path root = base.resolve("root");
        long[] jsonBytes = new long[1];
        long ourNanos = shardWriter(root, n, jsonBytes);
        double ourRate = n / (ourNanos / 1e9);
        System.out.printf("ShardWriter     : %,10.0f exchanges/s  (%.1f s)  ratio %.2fx raw Lucene (target >= 0.80)%n",
                ourRate, ourNanos / 1e9, ourRate / rawRate);

        long disk = size(root.resolve("gateway-bench"));
        System.out.printf("on disk         : %,d bytes = %.0f B/exchange vs raw JSON %.0f B/exchange: %.2fx (target <= 0.30)%n",
                disk, disk / (double) n, jsonBytes[0] / (double) n, disk / (double) jsonBytes[0]);

        // 3. Timeline latency at this size: random tokens, first page of 100, refresh chain included.
        try (ReplayReader reader = ReplayReader.open(root)) {
            SplittableRandom rnd = new SplittableRandom(7);
            int sessions = n / PER_SESSION;
            for (int i = 0; i < 200; i++) {
                reader.timeline("A-" + rnd.nextInt(sessions) + "-0", PageRequest.first(100));
            }
            Histogram h = new Histogram(3_600_000_000L, 3);
            long items = 0;
            for (int i = 0; i < queries; i++) {
                String key = "A-" + rnd.nextInt(sessions) + "-" + rnd.nextInt(3);
                long t = System.nanoTime();
                Timeline tl = reader.timeline(key, PageRequest.first(100));
                h.recordValue((System.nanoTime() - t) / 1_000);
                items += tl.page().items().size();
            }
            System.out.printf("timeline        : p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d queries, %.0f records/page (target p99 <= 50 ms)%n",
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                    h.getMaxValue() / 1000.0, queries, items / (double) queries);

            // 4. Findings over everything ingested: one on-demand evaluation of the whole range.
            var engine = new dev.tokentrail.index.findings.FindingsEngine(
                    dev.tokentrail.index.findings.FindingsConfig.defaults(), "bench");
            long t = System.nanoTime();
            var findings = engine.evaluate(reader, T0.minusSeconds(60), T0.plus(Duration.ofDays(400)));
            double secs = (System.nanoTime() - t) / 1e9;
            System.out.printf("findings        : %,d exchanges + IdP events evaluated in %.1f s (%,.0f records/s), %d findings%n",
                    n, secs, (n + 3.0 * n / PER_SESSION) / secs, findings.size());
        }
        delete(base);
    }

    private static void warmUp(Path dir) throws Exception {
        rawLucene(dir.resolve("raw"), 20_000);
        shardWriter(dir.resolve("root"), 20_000, new long[1]);
        delete(dir);
    }

    private static long rawLucene(Path dir, int n) throws IOException {
        IndexWriterConfig iwc = new IndexWriterConfig(new StandardAnalyzer())
                .setCodec(new Lucene104Codec(Lucene104Codec.Mode.BEST_COMPRESSION)).setRAMBufferSizeMB(32);
        long start = System.nanoTime();
        try (var d = FSDirectory.open(dir); IndexWriter w = new IndexWriter(d, iwc)) {
            SplittableRandom rnd = new SplittableRandom(42);
            long nextCommit = System.nanoTime() + 1_000_000_000L;
            for (int i = 0; i < n; i++) {
                w.addDocument(Documents.toDocument(exchange(i, rnd)));
                if (System.nanoTime() > nextCommit) {
                    w.commit();
                    nextCommit = System.nanoTime() + 1_000_000_000L;
                }
            }
            w.commit();
        }
        return System.nanoTime() - start;
    }

    private static long shardWriter(Path root, int n, long[] jsonBytes) {
        // The IdP side first, untimed: the comparison is gateway exchanges against raw Lucene.
        try (ShardWriter kc = ShardWriter.open(ShardConfig.of(root, "keycloak", "bench"))) {
            for (int s = 0; s < n / PER_SESSION + 1; s++) {
                for (TokenEvent e : sessionEvents(s)) {
                    while (!kc.offer(e)) {
                        Thread.onSpinWait();
                    }
                }
            }
        }
        long start = System.nanoTime();
        try (ShardWriter w = ShardWriter.open(ShardConfig.of(root, "gateway", "bench"))) {
            SplittableRandom rnd = new SplittableRandom(42);
            for (int i = 0; i < n; i++) {
                Exchange x = exchange(i, rnd);
                while (!w.offer(x)) {
                    Thread.onSpinWait(); // the bench measures throughput: wait instead of dropping
                }
            }
            w.close();
            if (w.stats().indexed() + w.stats().dropped() != w.stats().offered()) {
                throw new IllegalStateException("counters do not add up: " + w.stats());
            }
        }
        long elapsed = System.nanoTime() - start;
        // Raw JSON size of the same records, measured outside the timed part.
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < n; i++) {
            jsonBytes[0] += RecordCodec.encode(exchange(i, rnd)).length;
        }
        return elapsed;
    }

    /** Each session: login (A0/R0), two refreshes (A1/R1, A2/R2), exchanges spread over its tokens. */
    static List<TokenEvent> sessionEvents(int s) {
        Instant t = T0.plusSeconds(s * 10L);
        String sid = "S-" + s, user = "user-" + (s % 5_000);
        return List.of(
                new TokenEvent("E-" + s + "-0", t, TokenEventType.ISSUED, "LOGIN", "shop", "shop-web", user, sid,
                        "10.1.0." + (s % 250), "A-" + s + "-0", "R-" + s + "-0", null, null,
                        Map.of("grant_type", "password"), null, "kc"),
                new TokenEvent("E-" + s + "-1", t.plusSeconds(300), TokenEventType.REFRESHED, "REFRESH_TOKEN", "shop",
                        "shop-web", user, sid, null, "A-" + s + "-1", "R-" + s + "-0", "R-" + s + "-1", null, Map.of(),
                        null, "kc"),
                new TokenEvent("E-" + s + "-2", t.plusSeconds(600), TokenEventType.REFRESHED, "REFRESH_TOKEN", "shop",
                        "shop-web", user, sid, null, "A-" + s + "-2", "R-" + s + "-1", "R-" + s + "-2", null, Map.of(),
                        null, "kc"));
    }

    static Exchange exchange(int i, SplittableRandom rnd) {
        int s = i / PER_SESSION;
        int k = (i % PER_SESSION) * 3 / PER_SESSION;
        Instant t = T0.plusSeconds(s * 10L).plusMillis((i % PER_SESSION) * 20_000L + 1);
        TokenIdentity id = new TokenIdentity(TokenIdentity.Kind.JWT, "fp-" + s + "-" + k, "Bearer", "RS256", false,
                "A-" + s + "-" + k, "S-" + s, "user-" + (s % 5_000), "shop-web", "http://kc/realms/shop",
                List.of("orders"), t, t.plusSeconds(300), "Bearer", "openid profile");
        String req = json(rnd, 1024);
        String res = json(rnd, 1024);
        return Exchange.builder("X-" + i, t).transactionId("X-" + i).latency(Duration.ofNanos(1_000L * (800 + rnd.nextInt(40_000))))
                .api("orders").plan("jwt").application("app-" + (s % 50)).method(i % 4 == 0 ? "POST" : "GET")
                .scheme("https").host("api.example.com").path("/orders/" + rnd.nextInt(100_000)).query("page=" + (i % 7))
                .requestHeaders(List.of(new Header("Authorization", "Bearer «token:fp-" + s + "»"),
                        new Header("Content-Type", "application/json"), new Header("Accept", "application/json")))
                .requestBody(new Body(req, req.length(), false, "application/json", null, Body.Form.TEXT))
                .status(rnd.nextInt(100) < 95 ? 200 : 404)
                .responseHeaders(List.of(new Header("Content-Type", "application/json")))
                .responseBody(new Body(res, res.length(), false, "application/json", null, Body.Form.TEXT))
                .peer("10.2." + (s % 200) + "." + (s % 250)).forwardedFor(List.of("203.0.113." + (s % 250)))
                .userAgent("Mozilla/5.0 (X11; Linux x86_64) shop-web/2." + (s % 9))
                .traceparent("00-" + Long.toHexString(rnd.nextLong()) + Long.toHexString(rnd.nextLong()) + "-"
                        + Long.toHexString(rnd.nextLong()) + "-01")
                .tokens(List.of(id)).node("bench").build();
    }

    /** A JSON object of about {@code size} bytes: order-like fields, some random, some repetitive. */
    static String json(SplittableRandom rnd, int size) {
        StringBuilder sb = new StringBuilder(size + 64).append("{\"items\":[");
        int item = 0;
        while (sb.length() < size - 40) {
            if (item++ > 0) sb.append(',');
            sb.append("{\"sku\":\"SKU-").append(rnd.nextInt(1_000_000)).append("\",\"name\":\"")
                    .append(WORDS[rnd.nextInt(WORDS.length)]).append(' ').append(WORDS[rnd.nextInt(WORDS.length)])
                    .append("\",\"qty\":").append(1 + rnd.nextInt(9)).append(",\"price\":")
                    .append(rnd.nextInt(10_000) / 100.0).append('}');
        }
        return sb.append("],\"currency\":\"EUR\"}").toString();
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
