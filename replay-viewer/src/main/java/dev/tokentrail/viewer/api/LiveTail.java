package dev.tokentrail.viewer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.query.Page;
import dev.tokentrail.index.query.PageRequest;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.query.SearchQuery;
import dev.tokentrail.index.store.Schema;
import io.javalin.http.sse.SseClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the reader fresh (new commits and new shards appear without a restart) and pushes newly
 * indexed records to browsers over Server-Sent Events.
 *
 * <p>Each tick refreshes the reader, then reads forward, oldest first, from the later of the
 * <em>floor</em> (every record at or before it was sent, counted as skipped, or predates the tail)
 * and now minus the lag, one page at a time with the reader's cursor. Reading from now minus the lag
 * rather than from the newest record sent is what catches a record that becomes visible after newer
 * ones (shards commit independently, an exchange is written when its response ends). Every record
 * not sent yet is sent as {@code event: record}, in (time, id) order, up to {@code maxPerTick} per
 * tick. Past the cap the rest of the tick's records are only counted, never held, and reported as
 * one {@code event: skipped} ({@code skipped}, {@code from}, {@code to}, {@code maxPerTick}); the
 * floor then moves to the last of them, so they are neither sent later nor counted twice. Nothing
 * is dropped without the browser being told. One thread does all of it, so every browser sees the
 * same events in the same order.
 *
 * <p>Memory is bounded: one page of records, plus the positions of the records sent that are still
 * inside the lag, at most {@code 5 × maxPerTick}; when more are sent within the lag the oldest
 * position is folded into the floor. What is not shown live (search finds it): a record that
 * becomes visible more than the lag after its own time; one that becomes visible after an overflow
 * with a time inside the range already counted as skipped; one older than the oldest remembered
 * position when more than {@code 5 × maxPerTick} were sent within the lag.
 */
public final class LiveTail implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LiveTail.class.getName());
    private static final int PAGE = 500;
    private static final int REMEMBERED_PER_TICK = 5;
    private static final Duration PING = Duration.ofSeconds(15);

    private final ReplayReader reader;
    private final ObjectMapper json;
    private final Duration lag;
    private final int maxPerTick;
    private final int remembered;
    private final Clock clock;
    private final Set<SseClient> clients = new CopyOnWriteArraySet<>();
    private final AtomicLong skippedTotal = new AtomicLong();
    private final ScheduledExecutorService timer;
    // Tail thread only.
    private final TreeSet<Position> sent = new TreeSet<>();
    private Position floor;
    private Instant lastPing;
    private volatile String lastError;

    public LiveTail(ReplayReader reader, ObjectMapper json, Duration interval, Duration lag, int maxPerTick, Clock clock) {
        if (maxPerTick < 1) {
            throw new IllegalArgumentException("maxPerTick must be positive, was " + maxPerTick);
        }
        this.reader = reader;
        this.json = json;
        this.lag = lag;
        this.maxPerTick = maxPerTick;
        this.remembered = REMEMBERED_PER_TICK * maxPerTick;
        this.clock = clock;
        this.floor = Position.before(clock.instant());
        this.lastPing = clock.instant();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("tokentrail-viewer-tail").unstarted(r));
        timer.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Registers an SSE client until it disconnects. */
    void join(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
        client.sendComment("tokentrail live tail");
    }

    int clients() {
        return clients.size();
    }

    /** Records counted as skipped (more than the cap in one tick) since start, for /metrics. */
    long skippedTotal() {
        return skippedTotal.get();
    }

    /** The last refresh or poll error, for /health; null when fine. */
    String lastError() {
        return lastError;
    }

    private void tick() {
        try {
            reader.refresh();
            Instant now = clock.instant();
            if (clients.isEmpty()) {
                // Nobody follows: the next browser starts from now, not from a backlog.
                floor = Position.before(now);
                sent.clear();
                lastError = null;
                return;
            }
            push(now);
            if (Duration.between(lastPing, now).compareTo(PING) >= 0) {
                lastPing = now;
                for (SseClient c : clients) {
                    c.sendComment("ping");
                }
            }
            lastError = null;
        } catch (JsonProcessingException | RuntimeException e) {
            if (!String.valueOf(e.getMessage()).equals(lastError)) {
                LOG.log(Level.WARNING, "live tail: " + e);
            }
            lastError = String.valueOf(e.getMessage());
        }
    }

    /** One poll: sends what is new, oldest first, up to the cap; counts and reports the rest. */
    private void push(Instant now) throws JsonProcessingException {
        Instant from = now.minus(lag);
        if (floor.time().isAfter(from)) {
            from = floor.time();
        }
        long fromMicros = Schema.micros(from);
        // Positions before the read range can never be read again: no need to remember them.
        while (!sent.isEmpty() && sent.first().micros() < fromMicros) {
            sent.pollFirst();
        }
        int shown = 0;
        long skipped = 0;
        Position firstSkipped = null;
        Position lastSkipped = null;
        SearchQuery query = new SearchQuery(null, Map.of(), from, null, false);
        String cursor = null;
        do {
            Page<ReplayRecord> page = reader.search(query, new PageRequest(PAGE, cursor));
            for (ReplayRecord r : page.items()) {
                Position p = Position.of(r);
                if (p.compareTo(floor) <= 0 || sent.contains(p)) {
                    continue;
                }
                if (shown < maxPerTick) {
                    broadcast("record", json.writeValueAsString(Summaries.of(r)));
                    remember(p);
                    shown++;
                } else {
                    // Counted, not held: the memory of a tick does not grow with a burst.
                    skipped++;
                    if (firstSkipped == null) {
                        firstSkipped = p;
                    }
                    lastSkipped = p;
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        if (skipped > 0) {
            // Everything up to the last record counted was sent or is in this count.
            floor = lastSkipped;
            sent.headSet(floor, true).clear();
            skippedTotal.addAndGet(skipped);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("skipped", skipped);
            m.put("from", firstSkipped.time().toString());
            m.put("to", lastSkipped.time().toString());
            m.put("maxPerTick", maxPerTick);
            broadcast("skipped", json.writeValueAsString(m));
        }
    }

    private void broadcast(String event, String data) {
        for (SseClient c : clients) {
            if (c.terminated()) {
                clients.remove(c);
            } else {
                c.sendEvent(event, data);
            }
        }
    }

    private void remember(Position p) {
        sent.add(p);
        if (sent.size() > remembered) {
            // Bounded memory: the oldest position becomes the floor, so it is never sent again.
            Position oldest = sent.pollFirst();
            if (oldest.compareTo(floor) > 0) {
                floor = oldest;
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SseClient c : clients) {
            c.close();
        }
        clients.clear();
    }

    /**
     * A record's place in the reader's order: time in microseconds (as indexed), then id as UTF-8
     * bytes (as Lucene sorts it), so comparisons agree with the order pages come in.
     */
    record Position(long micros, String id) implements Comparable<Position> {

        static Position of(ReplayRecord r) {
            return new Position(Schema.micros(r.time()), r.id());
        }

        /** Before every record at {@code t} or later, after every earlier one. */
        static Position before(Instant t) {
            return new Position(Schema.micros(t), "");
        }

        Instant time() {
            return Schema.instant(micros);
        }

        @Override
        public int compareTo(Position o) {
            int c = Long.compare(micros, o.micros);
            return c != 0 ? c : Arrays.compareUnsigned(id.getBytes(StandardCharsets.UTF_8),
                    o.id.getBytes(StandardCharsets.UTF_8));
        }
    }
}
