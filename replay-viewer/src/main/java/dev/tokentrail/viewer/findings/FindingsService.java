package dev.tokentrail.viewer.findings;

import dev.tokentrail.index.findings.Evaluator;
import dev.tokentrail.index.findings.FindingsEngine;
import dev.tokentrail.index.findings.Rule;
import dev.tokentrail.index.model.Finding;
import dev.tokentrail.index.query.PageRequest;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.query.SearchQuery;
import dev.tokentrail.index.store.ShardWriter;
import dev.tokentrail.viewer.FindingsOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the rules as data is committed, and on demand.
 *
 * <p>Incremental: every {@code interval} the task scans {@code [watermark, now - lag)} and feeds it,
 * in time order, to one long-lived {@link Evaluator}; the watermark then moves to {@code now - lag}.
 * The lag lets the IdP and gateway shards, which commit independently, both catch up first; a
 * record committed more than {@code lag} late is not seen by the incremental pass (re-evaluate the
 * range on demand). On start the evaluator's state is rebuilt from {@code stateTtl} back, and any
 * finding of that range not yet stored is stored and reported (it happened while no viewer ran).
 *
 * <p>Every finding is checked against what is already stored (its id is deterministic) and a
 * bounded memory of recent ids, so evaluating a range twice stores and reports it once.
 */
public final class FindingsService implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FindingsService.class.getName());
    /** On-demand evaluation covers at most this range (plus the state rebuilt before it). */
    public static final Duration MAX_RANGE = Duration.ofDays(31);
    private static final int RECENT_IDS = 100_000;

    private final ReplayReader reader;
    private final ShardWriter writer;
    private final FindingsOptions options;
    private final FindingsEngine engine;
    private final Webhook webhook;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final CountDownLatch firstPass = new CountDownLatch(1);
    private final LinkedHashSet<String> recent = new LinkedHashSet<>();
    private final AtomicLong scanned = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong droppedByWriter = new AtomicLong();
    private final AtomicLong passes = new AtomicLong();
    private Evaluator evaluator;
    private volatile Instant watermark;
    private volatile String lastError;

    public FindingsService(ReplayReader reader, ShardWriter writer, FindingsOptions options, String node,
                           Webhook webhook, Clock clock) {
        this.reader = reader;
        this.writer = writer;
        this.options = options;
        this.engine = new FindingsEngine(options.rules(), node);
        this.webhook = webhook;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("tokentrail-viewer-findings").unstarted(r));
        if (options.enabled()) {
            long every = options.interval().toMillis();
            timer.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
        } else {
            firstPass.countDown();
        }
    }

    /** One pass; the first one rebuilds state. Runs on the timer thread only. */
    private void tick() {
        try {
            reader.refresh();
            Instant to = clock.instant().minus(options.lag());
            if (evaluator == null) {
                evaluator = engine.evaluator();
                watermark = to.minus(options.rules().stateTtl());
            }
            if (to.isAfter(watermark)) {
                Evaluator e = evaluator;
                long n = reader.scan(watermark, to, record -> {
                    for (Finding f : e.accept(record)) {
                        publish(f);
                    }
                });
                scanned.addAndGet(n);
                watermark = to;
            }
            if (passes.incrementAndGet() == 1) {
                // The rebuild's findings visible before anyone waiting for the first pass goes on.
                writer.commitNow(Duration.ofSeconds(30));
                reader.refresh();
            }
            lastError = null;
        } catch (RuntimeException e) {
            // Keep the watermark: the next pass retries the range. Findings already made are not repeated
            // (ids); rate counters may see a record twice, which errs towards reporting.
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.log(Level.WARNING, "findings pass failed; retrying next interval", e);
        } finally {
            firstPass.countDown();
        }
    }

    /** What an on-demand evaluation did. */
    public record Evaluation(Instant from, Instant to, List<Finding> findings, int stored) {
    }

    /** Runs every rule over {@code [from, to)} (state rebuilt from {@code stateTtl} before) and stores what is new. */
    public Evaluation evaluate(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new IllegalArgumentException("an evaluation covers at most " + MAX_RANGE.toDays() + " days");
        }
        reader.refresh();
        List<Finding> all = engine.evaluate(reader, from, to);
        int fresh = 0;
        for (Finding f : all) {
            if (publish(f)) {
                fresh++;
            }
        }
        if (fresh > 0) {
            writer.commitNow(Duration.ofSeconds(30));
            reader.refresh();
        }
        return new Evaluation(from, to, all, fresh);
    }

    /** Stores and reports a finding unless it already was; true when it is new. */
    private synchronized boolean publish(Finding f) {
        if (recent.contains(f.id()) || reader.record(f.id()).isPresent()) {
            remember(f.id());
            return false;
        }
        if (!writer.offer(f)) {
            droppedByWriter.incrementAndGet();
            LOG.warning("finding " + f.id() + " not stored: the viewer shard's queue is full");
            return false;
        }
        remember(f.id());
        stored.incrementAndGet();
        if (webhook != null) {
            webhook.offer(f);
        }
        return true;
    }

    private void remember(String id) {
        recent.add(id);
        if (recent.size() > RECENT_IDS) {
            var it = recent.iterator();
            it.next();
            it.remove();
        }
    }

    /** Waits until the first pass (the state rebuild) is done and committed; for tests and start-up scripts. */
    public boolean awaitFirstPass(Duration timeout) throws InterruptedException {
        return firstPass.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stored findings per rule, as the shards hold them now. */
    public Map<String, Long> countsByRule() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Rule r : Rule.values()) {
            out.put(r.name(), reader.search(new SearchQuery(null, Map.of("kind", "finding", "type", r.name()), null,
                    null, true), PageRequest.first(1)).totalHits());
        }
        return out;
    }

    /** Counters for /metrics and /health. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("records_evaluated", scanned.get());
        m.put("findings_stored", stored.get());
        m.put("findings_dropped", droppedByWriter.get());
        m.put("passes", passes.get());
        if (webhook != null) {
            m.put("webhook_sent", webhook.sent());
            m.put("webhook_retries", webhook.retries());
            m.put("webhook_failed", webhook.failed());
            m.put("webhook_dropped", webhook.dropped());
        }
        return m;
    }

    public Instant watermark() {
        return watermark;
    }

    public String lastError() {
        return lastError;
    }

    public boolean enabled() {
        return options.enabled();
    }

    /** The rule of a finding, null for a rule this build does not know. */
    public static Rule rule(Finding f) {
        try {
            return Rule.valueOf(f.rule());
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    /** The timeline key to follow a finding: its token, else its session, user or peer. */
    public static String keyOf(Finding f) {
        if (f.tokenId() != null) {
            return f.tokenId();
        }
        if (f.fingerprint() != null) {
            return "fingerprint:" + f.fingerprint();
        }
        if (f.sessionId() != null) {
            return f.sessionId();
        }
        return f.userId() != null ? f.userId() : f.peer();
    }

    static String urlPart(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (webhook != null) {
            webhook.close();
        }
    }
}
