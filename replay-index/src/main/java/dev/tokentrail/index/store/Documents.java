package dev.tokentrail.index.store;

import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.AuditEvent;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Finding;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.model.TokenEvent;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedNumericDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;

/** Turns records into Lucene documents following {@link Schema}. */
final class Documents {

    static final byte EVENT = 'E';
    static final byte EXCHANGE = 'X';
    static final byte FINDING = 'F';
    static final byte AUDIT = 'A';
    /** Keyword values longer than this are not indexed (Lucene's term limit is 32 KiB; ids are short). */
    private static final int MAX_KEYWORD = 1024;

    /**
     * Full text is only ever filtered (results sort by time, never by score): no positions, no
     * frequencies, no norms. A third of the postings size and indexing time.
     */
    private static final FieldType TEXT = new FieldType();

    static {
        TEXT.setTokenized(true);
        TEXT.setIndexOptions(IndexOptions.DOCS);
        TEXT.setOmitNorms(true);
        TEXT.freeze();
    }

    private Documents() {
    }

    /** Kind names as stored in {@link Schema#KIND}. */
    static String kind(ReplayRecord r) {
        return switch (r) {
            case TokenEvent e -> "event";
            case Exchange x -> "exchange";
            case Finding f -> "finding";
            case AuditEvent a -> "audit";
        };
    }

    static Document toDocument(ReplayRecord r) {
        return switch (r) {
            case TokenEvent e -> event(e);
            case Exchange x -> exchange(x);
            case Finding f -> finding(f);
            case AuditEvent a -> audit(a);
        };
    }

    /** Time as stored: epoch microseconds. */
    public static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private static Document event(TokenEvent e) {
        Document d = common(e, "event", EVENT);
        Set<String> links = new LinkedHashSet<>();
        for (String t : e.tokenIds()) {
            keyword(d, Schema.TOKEN_ID, t);
            links.add("t:" + t);
        }
        if (e.sessionId() != null) {
            links.add("s:" + e.sessionId());
        }
        addLinks(d, links);
        keyword(d, Schema.SESSION_ID, e.sessionId());
        keyword(d, Schema.USER, e.userId());
        keyword(d, Schema.ACTOR, e.actor());
        keyword(d, Schema.CLIENT, e.clientId());
        keyword(d, Schema.IP, e.ip());
        keyword(d, Schema.TYPE, e.type().name());
        keyword(d, Schema.EVENT_NAME, e.eventName());
        keyword(d, Schema.REALM, e.realm());
        keyword(d, Schema.ERROR, e.error());
        StringBuilder text = new StringBuilder(e.eventName());
        append(text, e.error());
        e.details().forEach((k, v) -> append(append(text, k), v));
        d.add(new Field(Schema.TEXT.field(), text.toString(), TEXT));
        return d;
    }

    private static Document exchange(Exchange x) {
        Document d = common(x, "exchange", EXCHANGE);
        Set<String> links = new LinkedHashSet<>();
        for (TokenIdentity t : x.tokens()) {
            if (t.fingerprint() != null) {
                links.add("f:" + t.fingerprint());
                keyword(d, Schema.FINGERPRINT, t.fingerprint());
            }
            if (!x.vouches(t)) {
                continue; // claims nobody has checked: stored and shown, never a key into someone's trail
            }
            if (t.jti() != null) {
                links.add("t:" + t.jti());
                keyword(d, Schema.TOKEN_ID, t.jti());
            }
            if (t.sid() != null) {
                links.add("s:" + t.sid());
                keyword(d, Schema.SESSION_ID, t.sid());
            }
            keyword(d, Schema.USER, t.sub());
            keyword(d, Schema.CLIENT, t.clientId());
            keyword(d, Schema.ISSUER, t.iss());
            if (t.exp() != null) {
                d.add(new LongPoint(Schema.EXPIRES.field(), micros(t.exp())));
                d.add(new SortedNumericDocValuesField(Schema.EXPIRES.field(), micros(t.exp())));
            }
        }
        addLinks(d, links);
        keyword(d, Schema.IP, x.peer());
        x.forwardedFor().forEach(ip -> keyword(d, Schema.IP, ip));
        keyword(d, Schema.TYPE, "EXCHANGE");
        keyword(d, Schema.API, x.api());
        keyword(d, Schema.APPLICATION, x.application());
        keyword(d, Schema.METHOD, x.method());
        keyword(d, Schema.PATH, x.path());
        keyword(d, Schema.TRANSACTION_ID, x.transactionId());
        d.add(new IntPoint(Schema.STATUS.field(), x.status()));
        d.add(new NumericDocValuesField(Schema.STATUS.field(), x.status()));
        long latency = x.latency() == null ? -1 : x.latency().toNanos() / 1_000;
        d.add(new LongPoint(Schema.LATENCY.field(), latency));
        d.add(new NumericDocValuesField(Schema.LATENCY.field(), latency));
        StringBuilder text = new StringBuilder();
        append(text, x.method());
        append(text, x.path());
        append(text, x.query());
        append(text, x.userAgent());
        append(text, bodyText(x.requestBody()));
        append(text, bodyText(x.responseBody()));
        d.add(new Field(Schema.TEXT.field(), text.toString(), TEXT));
        return d;
    }

    private static Document finding(Finding f) {
        Document d = common(f, "finding", FINDING);
        Set<String> links = new LinkedHashSet<>();
        if (f.tokenId() != null) {
            links.add("t:" + f.tokenId());
            keyword(d, Schema.TOKEN_ID, f.tokenId());
        }
        if (f.sessionId() != null) {
            links.add("s:" + f.sessionId());
            keyword(d, Schema.SESSION_ID, f.sessionId());
        }
        if (f.fingerprint() != null) {
            links.add("f:" + f.fingerprint());
            keyword(d, Schema.FINGERPRINT, f.fingerprint());
        }
        addLinks(d, links);
        keyword(d, Schema.USER, f.userId());
        keyword(d, Schema.IP, f.peer());
        keyword(d, Schema.TYPE, f.rule());
        keyword(d, Schema.SEVERITY, f.severity().name());
        StringBuilder text = new StringBuilder(f.rule());
        append(text, f.summary());
        d.add(new Field(Schema.TEXT.field(), text.toString(), TEXT));
        return d;
    }

    private static Document audit(AuditEvent a) {
        Document d = common(a, "audit", AUDIT);
        keyword(d, Schema.ACTOR, a.actor());
        keyword(d, Schema.TYPE, a.action());
        StringBuilder text = new StringBuilder(a.action());
        append(text, a.subject());
        append(text, a.via());
        d.add(new Field(Schema.TEXT.field(), text.toString(), TEXT));
        return d;
    }

    private static Document common(ReplayRecord r, String kind, byte marker) {
        Document d = new Document();
        d.add(new StringField(Schema.KIND.field(), kind, Field.Store.NO));
        d.add(new StringField(Schema.ID.field(), r.id(), Field.Store.NO));
        d.add(new SortedDocValuesField(Schema.ID.field(), new BytesRef(r.id())));
        long t = micros(r.time());
        d.add(new LongPoint(Schema.TIME.field(), t));
        d.add(new NumericDocValuesField(Schema.TIME.field(), t));
        keyword(d, Schema.NODE, r.node());
        byte[] json = RecordCodec.encode(r);
        byte[] payload = new byte[json.length + 1];
        payload[0] = marker;
        System.arraycopy(json, 0, payload, 1, json.length);
        d.add(new StoredField(Schema.PAYLOAD.field(), payload));
        return d;
    }

    /** Links are indexed for lookup and kept as doc values so the reader can follow them cheaply. */
    private static void addLinks(Document d, Set<String> links) {
        for (String l : links) {
            if (l.length() <= MAX_KEYWORD) {
                d.add(new StringField(Schema.LINK.field(), l, Field.Store.NO));
                d.add(new SortedSetDocValuesField(Schema.LINK.field(), new BytesRef(l)));
            }
        }
    }

    /**
     * Full-text indexing is the writer's biggest cost per exchange (about 2/3 of it for 2 x 1 KB
     * bodies): only the start of each body is made searchable, so a 16 KiB body costs no more than
     * a 4 KiB one. The whole captured body is still stored and shown.
     */
    static final int MAX_TEXT_PER_BODY = 4096;

    private static String bodyText(Body b) {
        if (b == null || b.text() == null) {
            return null;
        }
        String t = b.text();
        return t.length() <= MAX_TEXT_PER_BODY ? t : t.substring(0, MAX_TEXT_PER_BODY);
    }

    private static void keyword(Document d, Schema field, String value) {
        if (value != null && !value.isEmpty() && value.length() <= MAX_KEYWORD) {
            d.add(new StringField(field.field(), value, Field.Store.NO));
        }
    }

    private static StringBuilder append(StringBuilder sb, String s) {
        if (s != null && !s.isEmpty()) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(s);
        }
        return sb;
    }
}
