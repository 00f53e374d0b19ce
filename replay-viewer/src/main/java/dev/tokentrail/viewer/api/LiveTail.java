package dev.tokentrail.viewer.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.query.Page;
import dev.tokentrail.index.query.PageRequest;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.query.SearchQuery;
import io.javalin.http.sse.SseClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the reader fresh (new commits and new shards appear without a restart) and pushes newly
 * indexed records to browsers over Server-Sent Events.
 *
 * <p>Each tick refreshes the reader, then asks for records newer than the newest seen minus a lag
 * (a writer commits records a little after their time), newest first, and sends the ones not yet
 * sent, oldest first. One thread does all of it, so clients see records in one order.
 */
public final class LiveTail implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LiveTail.class.getName());
    private static final int BATCH = 200;
    private static final int REMEMBERED = 20_000;
    private static final Duration PING = Duration.ofSeconds(15);

    private final ReplayReader reader;
    private final ObjectMapper json;
    private final Duration lag;
    private final Clock clock;
    private final Set<SseClient> clients = new CopyOnWriteArraySet<>();
    private final LinkedHashSet<String> sent = new LinkedHashSet<>();
    private final ScheduledExecutorService timer;
    private Instant watermark;
    private Instant lastPing;
    private volatile String lastError;

    public LiveTail(ReplayReader reader, ObjectMapper json, Duration interval, Duration lag, Clock clock) {
        this.reader = reader;
        this.json = json;
        this.lag = lag;
        this.clock = clock;
        this.watermark = clock.instant();
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

    /** The last refresh or poll error, for /health; null when fine. */
    String lastError() {
        return lastError;
    }

    private void tick() {
        try {
            reader.refresh();
            if (clients.isEmpty()) {
                watermark = clock.instant();
                sent.clear();
                lastError = null;
                return;
            }
            Page<ReplayRecord> page = reader.search(new SearchQuery(null, Map.of(), watermark.minus(lag), null, true),
                    PageRequest.first(BATCH));
            List<ReplayRecord> fresh = new ArrayList<>();
            for (ReplayRecord r : page.items()) {
                if (!sent.contains(r.id())) {
                    fresh.add(r);
                }
            }
            fresh.sort(Comparator.comparing(ReplayRecord::time).thenComparing(ReplayRecord::id));
            for (ReplayRecord r : fresh) {
                remember(r.id());
                if (r.time().isAfter(watermark)) {
                    watermark = r.time();
                }
                broadcast("record", json.writeValueAsString(Summaries.of(r)));
            }
            Instant now = clock.instant();
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

    private void broadcast(String event, String data) {
        for (SseClient c : clients) {
            if (c.terminated()) {
                clients.remove(c);
            } else {
                c.sendEvent(event, data);
            }
        }
    }

    private void remember(String id) {
        sent.add(id);
        if (sent.size() > REMEMBERED) {
            var it = sent.iterator();
            it.next();
            it.remove();
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
}
