package dev.tokentrail.gateway;

import dev.tokentrail.gateway.configuration.TokentrailCapturePolicyConfiguration;
import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.mask.MaskingPolicy;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.store.CpuPriority;
import dev.tokentrail.index.store.ShardConfig;
import dev.tokentrail.index.store.ShardWriter;
import dev.tokentrail.index.store.WriterStats;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one recorder of a gateway node (JVM), shared by every API that uses the policy: one
 * {@link ShardWriter} (component {@code gateway}), one fingerprint key, one base masking policy.
 *
 * <p>Two hand-offs keep the event loops free. Finished captures go into a bounded in-memory queue
 * (raw values live there for milliseconds and never touch a disk); one {@code tokentrail-mask}
 * thread masks them and offers the records to the writer, whose own thread does the Lucene work.
 * A full queue drops and counts, at either step. Opening the shard touches the disk, so it
 * happens on a background thread too; captures finished before it is open wait in the same queue.
 */
final class NodeRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(NodeRecorder.class);
    static final String COMPONENT = "gateway";
    /** Captures waiting to be masked: about 1.5 s of a busy node's traffic, a few tens of MB at most. */
    static final int HANDOFF_CAPACITY = 8_192;

    private static final Object LOCK = new Object();
    private static volatile NodeRecorder instance;

    /** Everything needed once the shard is open. */
    record Ready(ShardWriter writer, Fingerprinter fingerprinter, MaskingPolicy baseMasking, String node,
                 Map<List<List<String>>, MaskingPolicy> perApi) {

        /**
         * The base policy plus one API's extra masked names and where its tokens travel besides
         * Authorization; derived once per distinct configuration (a handful per node), then shared.
         */
        MaskingPolicy masking(TokentrailCapturePolicyConfiguration c) {
            return perApi.computeIfAbsent(List.of(c.maskedHeaders(), c.maskedFields(), c.tokenQueryParameters(),
                            c.tokenHeaders()),
                    k -> baseMasking.toBuilder()
                            .maskHeaders(c.maskedHeaders())
                            .maskFields(c.maskedFields())
                            .tokenQueryParams(c.tokenQueryParameters())
                            .tokenHeaders(c.tokenHeaders())
                            .build());
        }
    }

    /**
     * Counters of this node's capture path, on top of the writer's own.
     *
     * @param submitted       finished captures handed over (sampled in)
     * @param droppedNotReady dropped before masking: the hand-off queue was full (masking behind, or
     *                        the shard not open yet) or the recorder closed
     * @param buildFailures   lost because masking or assembling the record failed (logged)
     * @param notSampled      left out by sampling
     * @param buildNanos      time spent masking and assembling records, in total
     * @param handoffDepth    captures waiting to be masked now
     * @param writer          the shard writer's counters, or null while it is not open
     */
    record Stats(long submitted, long droppedNotReady, long buildFailures, long notSampled, long buildNanos,
                 int handoffDepth, WriterStats writer) {
    }

    private final NodeSettings settings;
    private final ShardConfig explicitConfig;
    private final ArrayBlockingQueue<Function<Ready, ReplayRecord>> handoff = new ArrayBlockingQueue<>(HANDOFF_CAPACITY);
    private final CountDownLatch opened = new CountDownLatch(1);
    private final LongAdder submitted = new LongAdder();
    private final LongAdder droppedNotReady = new LongAdder();
    private final LongAdder buildFailures = new LongAdder();
    private final LongAdder notSampled = new LongAdder();
    private final LongAdder buildNanos = new LongAdder();
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Duration.ofSeconds(30));
    private volatile Ready ready;
    private volatile boolean closed;
    // close() may run from the plugin's deactivation and from the JVM shutdown hook: once is enough.
    private final Thread opener;
    private final Thread masker;

    private NodeRecorder(NodeSettings settings, ShardConfig explicitConfig) {
        this.settings = settings;
        this.explicitConfig = explicitConfig;
        this.opener = Thread.ofPlatform().daemon().name("tokentrail-open").unstarted(this::open);
        this.masker = Thread.ofPlatform().daemon().name("tokentrail-mask").unstarted(this::maskLoop);
    }

    /** The node's recorder, created (and its opening started) on first use. Never blocks. */
    static NodeRecorder get() {
        NodeRecorder r = instance;
        if (r == null) {
            synchronized (LOCK) {
                r = instance;
                if (r == null) {
                    r = create(null);
                    instance = r;
                }
            }
        }
        return r;
    }

    private static NodeRecorder create(ShardConfig explicit) {
        NodeSettings settings;
        try {
            settings = NodeSettings.fromEnvironment();
        } catch (IllegalArgumentException e) {
            LOG.error("{}. Tokentrail records nothing on this node until it is fixed (requests are not affected).",
                    e.getMessage());
            settings = null;
        }
        NodeRecorder r = new NodeRecorder(settings, explicit);
        if (explicit != null || (settings != null && settings.enabled())) {
            r.opener.start();
            r.masker.start();
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("tokentrail-close").unstarted(r::close));
        } else if (settings != null) {
            LOG.info("Tokentrail capture disabled on this node ({}=false)", NodeSettings.ENABLED);
        }
        return r;
    }

    /** Whether captures should be made at all (settings valid and not disabled). */
    boolean enabled() {
        return explicitConfig != null || (settings != null && settings.enabled());
    }

    private void open() {
        long backoffMs = 1_000;
        while (!closed) {
            try {
                ShardConfig config = explicitConfig != null ? explicitConfig : shardConfig(settings);
                Fingerprinter fp = Fingerprinter.forRoot(config.root());
                MaskingPolicy masking = MaskingPolicy.defaults(fp);
                ShardWriter writer = ShardWriter.open(config);
                Ready r = new Ready(writer, fp, masking, config.node(), new ConcurrentHashMap<>());
                if (closed) {
                    writer.close();
                    return;
                }
                ready = r;
                opened.countDown();
                LOG.info("Tokentrail recording to {} (queue {}, commit every {})", writer.directory(),
                        config.queueCapacity(), config.commitInterval());
                return;
            } catch (RuntimeException | Error e) {
                LOG.error("Tokentrail cannot open its shard ({}); retrying in {} s. Requests are not affected;"
                        + " captures meanwhile are dropped and counted.", e.toString(), backoffMs / 1000);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 60_000);
            }
        }
    }

    static ShardConfig shardConfig(NodeSettings s) {
        ShardConfig c = ShardConfig.of(s.dataRoot(), COMPONENT, s.resolvedNode())
                .withQueueCapacity(s.queueCapacity())
                .withCommitInterval(s.commitInterval())
                .withBackground(s.background());
        if (s.maxAge() != null || s.maxBytes() > 0) {
            c = c.withRetention(s.maxAge(), s.maxBytes());
        }
        return c;
    }

    /**
     * Hands a finished capture over; {@code build} masks and assembles the record later, on the
     * masking thread. Never blocks, never throws: a full queue drops and counts.
     */
    void submit(Function<Ready, ReplayRecord> build) {
        submitted.increment();
        if (closed || !handoff.offer(build)) {
            droppedNotReady.increment();
        }
    }

    void countNotSampled() {
        notSampled.increment();
    }

    private void maskLoop() {
        try {
            opened.await(); // captures wait in the queue until the shard is open
        } catch (InterruptedException e) {
            return;
        }
        Ready r = ready;
        if (r != null && r.writer().config().background()) {
            // Masking is capture CPU too: it yields to the gateway like the writer does.
            String why = CpuPriority.lowerCurrentThread();
            if (why != null) {
                LOG.info("Tokentrail masking runs at normal CPU priority: {}", why);
            }
        }
        while (true) {
            Function<Ready, ReplayRecord> build;
            try {
                build = handoff.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                build = null;
            }
            if (build != null) {
                write(r, build);
            } else if (closed) {
                return;
            }
        }
    }

    private void write(Ready r, Function<Ready, ReplayRecord> build) {
        ReplayRecord record;
        long start = System.nanoTime();
        try {
            record = build.apply(r);
        } catch (Throwable t) {
            buildFailures.increment();
            failures.warn("Tokentrail could not build a capture record", t);
            return;
        } finally {
            buildNanos.add(System.nanoTime() - start);
        }
        if (record != null) {
            r.writer().offer(record); // a full queue drops and counts inside the writer
        }
    }

    Stats stats() {
        Ready r = ready;
        return new Stats(submitted.sum(), droppedNotReady.sum(), buildFailures.sum(), notSampled.sum(),
                buildNanos.sum(), handoff.size(), r == null ? null : r.writer().stats());
    }

    /** The open writer, waiting up to {@code timeout} for it; null if not open in time. For tests and tools. */
    ShardWriter awaitWriter(Duration timeout) {
        try {
            opened.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Ready r = ready;
        return r == null ? null : r.writer();
    }

    /** Masks what is queued, then drains and commits the writer. Idempotent; also run by a JVM shutdown hook. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        Ready r = ready;
        if (r != null) {
            try {
                masker.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            r.writer().close();
            LOG.info("Tokentrail recorder for {} closed: {}", r.writer().directory(), stats());
        }
    }

    /** Closes the node's recorder (drain, commit, release the shard); a later capture opens a new one. */
    static void closeNode() {
        synchronized (LOCK) {
            NodeRecorder old = instance;
            instance = null;
            if (old != null) {
                old.close();
            }
        }
    }

    /**
     * Replaces the node's recorder with one writing {@code config} (tests: another root, a tiny
     * queue, a slowed writer). The previous one is closed first, so its shard lock is released.
     */
    static NodeRecorder replaceForTests(ShardConfig config) {
        synchronized (LOCK) {
            NodeRecorder old = instance;
            if (old != null) {
                old.close();
            }
            NodeRecorder r = create(config);
            instance = r;
            return r;
        }
    }
}
