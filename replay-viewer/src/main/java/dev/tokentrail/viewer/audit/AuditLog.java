package dev.tokentrail.viewer.audit;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.AuditEvent;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Finding;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.query.PageRequest;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.query.SearchQuery;
import dev.tokentrail.index.query.Timeline;
import dev.tokentrail.index.store.RecordCodec;
import dev.tokentrail.index.store.ShardWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes {@link AuditEvent}s through the viewer's own {@link ShardWriter} ({@code <root>/viewer-<node>})
 * and reads them back with {@code search(kind=audit)}. Thread-safe.
 *
 * <p>A subject is built only from values the viewer parsed (instants, durations, rule names) and
 * from what someone typed passed through {@link #typed} or {@link #key}: those keep what the data
 * knows as an identifier and turn everything else into a keyed fingerprint reference, so a password
 * typed into the search box, however short, never reaches the shard.
 */
public final class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());
    private static final int MAX_SUBJECT = 512;
    /** Words of free text kept or replaced one by one; the rest is cut. */
    private static final int MAX_WORDS = 16;
    private static final int MAX_IDENTIFIERS = 10_000;
    /** Free-text words asked of the reader one by one, at most: each lookup is a key resolution. */
    private static final int MAX_LOOKUPS = 4;

    /**
     * For {@link #scrub}: long runs of token characters (JWTs, opaque tokens, API keys). UUIDs,
     * IPs and user names are kept.
     */
    private static final Pattern CREDENTIAL_LIKE =
            Pattern.compile("(?<![A-Za-z0-9._~+/-])[A-Za-z0-9._~+/-]{16,}=*");
    /** The last line of defence in {@link #record}: a JWS anywhere in a subject. */
    private static final Pattern JWT_LIKE =
            Pattern.compile("eyJ[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]*");
    private static final String REFERENCE_PREFIX = "«token:";
    private static final int FINGERPRINT_CHARS = 22;
    private static final Pattern REFERENCE = Pattern.compile("«token:[A-Za-z0-9_-]{22}»");
    private static final String FINGERPRINT_KEY = "fingerprint:";
    private static final String UNKNOWN_TOKEN = "(unknown token)";
    private static final Pattern UUID_FORM = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}"
            + "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9a-fA-F]{1,4}");
    /** A status or a status range as the search filters take them. */
    private static final Pattern STATUS = Pattern.compile("[1-5][0-9]{2}(\\.\\.([1-5][0-9]{2})?)?|\\.\\.[1-5][0-9]{2}");

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
                lastDefence(e.subject()), e.results(), node);
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
     * What someone typed (a search, a key, a record id) in the form the audit keeps. Kept as typed:
     * a fingerprint reference, and an identifier the data knows: a value of the results' ids,
     * users, clients, addresses, token and session ids (what {@code results} names), else what the
     * reader resolves the whole text to, as it does for the search box and the timeline (a token
     * id, session, user, client or address; a raw token becomes its {@code «token:<fp>»}). Free
     * text is taken word by word: known identifiers and IP literals stay, any other word becomes
     * its keyed fingerprint reference, so an auditor who suspects a value can check it with the
     * data root's key, and nobody can read it off the shard.
     */
    public String typed(String value, Collection<? extends ReplayRecord> results) {
        if (value == null || value.isBlank()) {
            return "";
        }
        String v = value.strip();
        Set<String> known = identifiers(results);
        if (REFERENCE.matcher(v).matches() || known.contains(v)) {
            return v;
        }
        Timeline t = resolve(v);
        if (t != null && t.resolvedAs() != Timeline.KeyKind.UNKNOWN) {
            return key(t);
        }
        return words(v, known);
    }

    /** How the reader resolves a key (as for the search box and timelines), or null if it cannot say. */
    private Timeline resolve(String v) {
        try {
            return reader.timeline(v, PageRequest.first(1));
        } catch (RuntimeException unreadable) {
            // The audit must not fail the request: without the reader's word it is free text.
            return null;
        }
    }

    /**
     * A timeline's key as the reader resolved it: a token by its {@code «token:<fp>»} reference,
     * an identifier found in the data as it is, a key the data does not know as free text
     * (see {@link #typed}).
     */
    public String key(Timeline t) {
        String k = t.key();
        return switch (t.resolvedAs()) {
            case TOKEN -> k.startsWith(FINGERPRINT_KEY) ? REFERENCE_PREFIX + k.substring(FINGERPRINT_KEY.length()) + "»"
                    : fingerprinter.reference(k);
            case TOKEN_ID, SESSION, USER, CLIENT, IP -> k;
            // The reader names a token-like key it cannot decode "(unknown token)": nothing typed is in it.
            case UNKNOWN -> k.equals(UNKNOWN_TOKEN) ? k : words(k, Set.of());
        };
    }

    /** Free text, word by word; the whole text was already resolved, so a single word is not asked again. */
    private String words(String text, Set<String> known) {
        String[] words = text.strip().split("\\s+");
        int lookups = words.length > 1 ? MAX_LOOKUPS : 0;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            if (i == MAX_WORDS) {
                b.append(" …");
                break;
            }
            String w = words[i];
            if (i > 0) {
                b.append(' ');
            }
            boolean keep = known.contains(w) || REFERENCE.matcher(w).matches() || IPV4.matcher(w).matches()
                    || ipv6(w) || STATUS.matcher(w).matches();
            if (!keep && lookups-- > 0) {
                // A user beside a word that matched nothing: the search found no record to name it.
                Timeline t = resolve(w);
                if (t != null && t.resolvedAs() != Timeline.KeyKind.UNKNOWN) {
                    b.append(key(t));
                    continue;
                }
            }
            b.append(keep ? w : fingerprinter.reference(w));
        }
        return b.toString();
    }

    /** Strict enough that {@code abc:def:123} or {@code alice:secret} is not an address. */
    static boolean ipv6(String s) {
        if (s.length() > 39 || s.indexOf(':') < 0) {
            return false;
        }
        int gap = s.indexOf("::");
        if (gap >= 0 && gap != s.lastIndexOf("::")) {
            return false;
        }
        if (gap < 0) {
            return groups(s) == 8;
        }
        int left = s.substring(0, gap).isEmpty() ? 0 : groups(s.substring(0, gap));
        int right = s.substring(gap + 2).isEmpty() ? 0 : groups(s.substring(gap + 2));
        return left >= 0 && right >= 0 && left + right < 8;
    }

    /** How many hex groups {@code s} has, or -1 if it is anything else. */
    private static int groups(String s) {
        String[] g = s.split(":", -1);
        for (String x : g) {
            if (!HEX_GROUP.matcher(x).matches()) {
                return -1;
            }
        }
        return g.length;
    }

    /** The identifiers a page of records names: what is data, not something someone typed. */
    private static Set<String> identifiers(Collection<? extends ReplayRecord> results) {
        Set<String> out = new HashSet<>();
        if (results == null) {
            return out;
        }
        for (ReplayRecord r : results) {
            if (out.size() > MAX_IDENTIFIERS) {
                break;
            }
            add(out, r.id(), RecordCodec.kind(r), r.node());
            switch (r) {
                case Exchange x -> {
                    add(out, x.transactionId(), x.api(), x.application(), x.applicationClientId(), x.method(),
                            x.host(), x.path(), x.peer(), Integer.toString(x.status()));
                    x.forwardedFor().forEach(f -> add(out, f));
                    for (TokenIdentity t : x.tokens()) {
                        add(out, t.jti(), t.sid(), t.sub(), t.clientId(), t.fingerprint());
                    }
                }
                case TokenEvent e -> add(out, e.realm(), e.clientId(), e.userId(), e.sessionId(), e.ip(),
                        e.accessTokenId(), e.refreshTokenId(), e.newRefreshTokenId(), e.eventName(),
                        e.type() == null ? null : e.type().name(), e.error());
                case Finding f -> add(out, f.rule(), f.severity() == null ? null : f.severity().name(), f.tokenId(),
                        f.sessionId(), f.fingerprint(), f.userId(), f.peer());
                case AuditEvent a -> add(out, a.actor(), a.action());
            }
        }
        return out;
    }

    private static void add(Set<String> out, String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                out.add(v);
            }
        }
    }

    /**
     * Subjects are built from {@link #typed}/{@link #key} output and parsed values; should a
     * route ever slip a raw token in anyway, it still leaves as a reference.
     */
    private String lastDefence(String subject) {
        if (subject == null) {
            return null;
        }
        Matcher m = JWT_LIKE.matcher(subject);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(fingerprinter.reference(m.group())));
        }
        m.appendTail(b);
        String s = b.toString();
        return s.length() > MAX_SUBJECT ? s.substring(0, MAX_SUBJECT) + "…" : s;
    }

    /**
     * For text shown back to the requester (error messages), not for the audit: replaces
     * credential-like words by {@code «token:<fingerprint>»} and bounds the length. A
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
