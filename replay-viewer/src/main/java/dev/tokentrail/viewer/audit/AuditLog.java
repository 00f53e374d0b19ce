package dev.tokentrail.viewer.audit;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.model.AuditEvent;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.query.PageRequest;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.query.SearchQuery;
import dev.tokentrail.index.store.ShardWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@link AuditEvent}s through the viewer's own {@link ShardWriter} ({@code <root>/viewer-<node>})
 * and reads them back with {@code search(kind=audit)}. Thread-safe.
 */
public final class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    private static final int MAX_SUBJECT = 512;

    /**
     * Words that may be credentials: long runs of token characters (JWTs, opaque tokens, API keys).
     * UUIDs (Keycloak jti and session ids), IPs and user names are kept: they are what an
     * auditor needs to read, and none of them is a bearer secret.
     */
    private static final Pattern CREDENTIAL_LIKE =
            Pattern.compile("(?<![A-Za-z0-9._~+/-])[A-Za-z0-9._~+/-]{16,}=*");
    private static final String REFERENCE_PREFIX = "«token:";
    private static final int FINGERPRINT_CHARS = 22;
    private static final Pattern UUID_FORM = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ShardWriter writer;
    private final ReplayReader reader;
    private final Fingerprinter fingerprinter;
    private final String node;
    /** Ids need only be unique: a random run prefix (restarts) plus a counter. */
    private final String idPrefix = "audit-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public AuditLog(ShardWriter writer, ReplayReader reader, Fingerprinter fingerprinter, String node) {
        this.writer = writer;
        this.reader = reader;
        this.fingerprinter = fingerprinter;
        this.node = node;
    }

    /**
     * Records an action, its subject scrubbed first. The writer never blocks; if its queue is full
     * the entry is lost, counted and logged loudly, but the user's request does not fail.
     */
    public void record(AuditEntry e) {
        AuditEvent event = new AuditEvent(idPrefix + sequence.incrementAndGet(), e.time(), e.user(), e.via(), e.action(),
                scrub(e.subject()), e.results(), node);
        if (!writer.offer(event)) {
            dropped.incrementAndGet();
            LOG.log(Level.SEVERE, "audit entry dropped: the viewer shard's queue is full or closed");
        }
    }

    /** Audit entries lost because the writer refused them. */
    public long dropped() {
        return dropped.get();
    }

    /** The newest committed entries, newest first (at most {@link PageRequest#MAX_SIZE}). */
    public List<AuditEntry> recent(int limit) {
        int size = Math.max(1, Math.min(limit, PageRequest.MAX_SIZE));
        List<AuditEntry> out = new ArrayList<>(size);
        for (ReplayRecord r : reader.search(new SearchQuery(null, Map.of("kind", "audit"), null, null, true),
                PageRequest.first(size)).items()) {
            if (r instanceof AuditEvent a) {
                out.add(new AuditEntry(a.time(), a.actor(), a.via(), a.action(), a.subject(), a.results()));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Replaces credential-like words by {@code «token:<fingerprint>»} and bounds the length. A
     * reference already in that form is kept, so callers can name a token by its fingerprint.
     */
    public String scrub(String subject) {
        if (subject == null) {
            return null;
        }
        Matcher m = CREDENTIAL_LIKE.matcher(subject);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String w = m.group();
            boolean reference = w.length() == FINGERPRINT_CHARS && m.start() >= REFERENCE_PREFIX.length()
                    && subject.startsWith(REFERENCE_PREFIX, m.start() - REFERENCE_PREFIX.length())
                    && subject.startsWith("»", m.end());
            boolean keep = reference || UUID_FORM.matcher(w).matches() || w.chars().allMatch(c -> Character.isDigit(c) || c == '.');
            m.appendReplacement(b, Matcher.quoteReplacement(keep ? w : fingerprinter.reference(w)));
        }
        m.appendTail(b);
        String s = b.toString();
        return s.length() > MAX_SUBJECT ? s.substring(0, MAX_SUBJECT) + "…" : s;
    }
}
