package dev.tokentrail.viewer.findings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokentrail.index.findings.Rule;
import dev.tokentrail.index.model.Finding;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * POSTs each new finding as JSON to one URL, from one background thread, with retries and
 * exponential backoff. {@link #offer} never blocks: when the bounded queue is full the finding is
 * dropped and counted (it is still stored and shown in the viewer).
 *
 * <p>A 2xx answer is success; anything else, a timeout or a connection error is retried after
 * {@code backoff}, {@code 2 * backoff}, ... (at most 5 minutes) until {@code attempts} tries.
 */
public final class Webhook implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Webhook.class.getName());
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private final URI url;
    private final ObjectMapper json;
    private volatile String viewerUrl;
    private final int attempts;
    private final Duration backoff;
    private final BlockingQueue<Finding> queue;
    private final HttpClient http;
    private final Thread sender;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param viewerUrl the viewer's URL as browsers see it, for the links in the payload; null for none
     */
    public Webhook(URI url, int capacity, int attempts, Duration backoff, ObjectMapper json, String viewerUrl) {
        this.url = url;
        this.json = json;
        this.viewerUrl = viewerUrl;
        this.attempts = attempts;
        this.backoff = backoff;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        this.sender = Thread.ofPlatform().daemon().name("tokentrail-viewer-webhook").start(this::run);
    }

    /** The viewer's URL for the links in payloads (known once the server has its port). */
    public void linkTo(String url) {
        this.viewerUrl = url;
    }

    /** Queues a finding for delivery; false (and counted) when the queue is full. */
    public boolean offer(Finding f) {
        if (closed || !queue.offer(f)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    public long sent() {
        return sent.get();
    }

    public long retries() {
        return retries.get();
    }

    public long failed() {
        return failed.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public int queued() {
        return queue.size();
    }

    private void run() {
        while (!closed) {
            Finding f;
            try {
                f = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (f != null) {
                deliver(f);
            }
        }
    }

    private void deliver(Finding f) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(payload(json, f, viewerUrl));
        } catch (IOException e) {
            failed.incrementAndGet();
            return;
        }
        Duration wait = backoff;
        for (int attempt = 1; attempt <= attempts && !closed; attempt++) {
            String problem;
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(TIMEOUT)
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "tokentrail-viewer")
                        .header("X-Tokentrail-Finding", f.id())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    sent.incrementAndGet();
                    return;
                }
                problem = "status " + r.statusCode();
            } catch (IOException e) {
                problem = e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (attempt == attempts) {
                failed.incrementAndGet();
                // The URL may carry a secret in its query: name the host only.
                LOG.log(Level.WARNING, "webhook to " + url.getHost() + " gave up on finding " + f.id() + " after "
                        + attempts + " attempts (" + problem + ")");
                return;
            }
            retries.incrementAndGet();
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            wait = wait.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait.multipliedBy(2);
        }
    }

    /** The documented payload (README "Webhook"): version, the finding as stored, explanation, links. */
    static ObjectNode payload(ObjectMapper json, Finding f, String viewerUrl) {
        ObjectNode n = json.createObjectNode();
        n.put("type", "tokentrail.finding");
        n.put("version", 1);
        n.set("finding", json.valueToTree(f));
        Rule rule = FindingsService.rule(f);
        if (rule != null) {
            n.put("explanation", rule.explanation());
        }
        if (viewerUrl != null) {
            ObjectNode links = n.putObject("links");
            links.put("finding", viewerUrl + "/#/finding/" + FindingsService.urlPart(f.id()));
            String key = FindingsService.keyOf(f);
            if (key != null) {
                links.put("timeline", viewerUrl + "/#/timeline/" + FindingsService.urlPart(key));
            }
        }
        return n;
    }

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
        try {
            sender.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
