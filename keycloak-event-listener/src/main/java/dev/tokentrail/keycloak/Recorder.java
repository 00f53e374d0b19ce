package dev.tokentrail.keycloak;

import dev.tokentrail.index.mask.MaskingPolicy;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.store.ShardWriter;
import dev.tokentrail.index.store.WriterStats;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * The node-wide half of the listener: one per Keycloak process, shared by every provider
 * instance. Hands translated events to the shard writer's queue (never blocking, never doing
 * disk I/O on the caller's thread) and keeps the listener's own counters.
 */
final class Recorder implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Recorder.class);
    /** Token ids remembered to link user-less events; ~100 bytes each. */
    static final int LINK_CAPACITY = 100_000;

    private final ListenerConfig config;
    private final ShardWriter writer;
    private final EventTranslator translator;
    private final TokenLinks links = new TokenLinks(LINK_CAPACITY);

    final LongAdder rolledBack = new LongAdder();
    final LongAdder listenerErrors = new LongAdder();
    private volatile long lastDropWarning;
    static final long FAILURE_LOG_PERIOD_NANOS = 60_000_000_000L;
    private final AtomicLong nextFailureLog = new AtomicLong(
            System.nanoTime());
    private final AtomicLong suppressedFailures = new AtomicLong();

    Recorder(ListenerConfig config, ShardWriter writer, MaskingPolicy masking) {
        this.config = config;
        this.writer = writer;
        this.translator = new EventTranslator(config.node(), config.eventTypes(), masking);
    }

    ListenerConfig config() {
        return config;
    }

    EventTranslator translator() {
        return translator;
    }

    /** Queues one event. Never throws; a full queue is counted by the writer and warned about. */
    void record(TokenEvent event) {
        try {
            if (!writer.offer(links.link(event))) {
                long now = System.nanoTime();
                if (now - lastDropWarning > 60_000_000_000L) { // at most once a minute: a full queue is loud enough
                    lastDropWarning = now;
                    LOG.warnf("Tokentrail: event dropped (queue full or writer closed); %s", format(writer.stats()));
                }
            }
        } catch (Throwable t) {
            failed("record", t);
        }
    }

    /**
     * Counts a failure and logs it at most once a minute with the number suppressed meanwhile: a bug hit
     * by every login must not flood Keycloak's log, nor slow its request threads down by logging.
     */
    void failed(String where, Throwable t) {
        listenerErrors.increment();
        long skipped = failureLogDue(System.nanoTime());
        if (skipped >= 0) {
            LOG.warnf(t, "Tokentrail listener failed in %s; the request goes on, the event is lost%s", where,
                    skipped == 0 ? "" : " (" + skipped + " similar failures not logged since the last report)");
        }
    }

    /** -1 when a failure at {@code now} stays unlogged, else how many went unlogged before it. */
    long failureLogDue(long now) {
        long due = nextFailureLog.get();
        if (now - due >= 0 && nextFailureLog.compareAndSet(due, now + FAILURE_LOG_PERIOD_NANOS)) {
            return suppressedFailures.getAndSet(0);
        }
        suppressedFailures.incrementAndGet();
        return -1;
    }

    WriterStats stats() {
        return writer.stats();
    }

    String summary() {
        return format(writer.stats()) + ", rolledBack=" + rolledBack.sum() + ", listenerErrors="
                + listenerErrors.sum() + ", shard=" + writer.directory();
    }

    static String format(WriterStats s) {
        return "offered=" + s.offered() + ", indexed=" + s.indexed() + ", dropped=" + s.dropped() + ", failed="
                + s.failed() + ", queue=" + s.queueDepth() + ", commits=" + s.commits() + ", lastCommit="
                + s.lastCommit() + " (" + s.lastCommitLatency().toMillis() + " ms)"
                + (s.lastError() == null ? "" : ", lastError=" + s.lastError());
    }

    /** Drains the queue and commits: what was accepted before shutdown is on disk after it. */
    @Override
    public void close() {
        writer.close();
    }
}
