package dev.tokentrail.index.store;

import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.AuditEvent;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Finding;
import dev.tokentrail.index.model.Header;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.model.TokenEvent;
import java.util.List;
import java.util.Map;

/**
 * What a queued record keeps alive on the heap, estimated from its shape: object headers and
 * references, and 2 bytes per character of every string. Strings of Latin-1 text take half that,
 * so this errs high, which is the safe side for a memory bound. Linear in the number of fields and
 * headers, never in the characters; nothing is serialized.
 */
final class RetainedSize {

    /** Object header plus alignment slack, 64-bit JVM. */
    private static final long OBJECT = 16;
    /** A reference or a long field; compressed oops use half, this errs high. */
    private static final long FIELD = 8;
    /** A String and its array's headers and length, before the characters. */
    private static final long STRING = 24 + 16;
    private static final long INSTANT = OBJECT + 16;
    /** An unmodifiable LinkedHashMap: wrapper, map, table. */
    private static final long MAP = OBJECT + 64 + 16;
    /** A LinkedHashMap entry: hash, key, value, next, before, after. */
    private static final long MAP_ENTRY = OBJECT + 5 * FIELD;

    private RetainedSize() {
    }

    static long of(ReplayRecord r) {
        return switch (r) {
            case Exchange x -> exchange(x);
            case TokenEvent e -> event(e);
            case Finding f -> finding(f);
            case AuditEvent a -> audit(a);
        };
    }

    private static long exchange(Exchange x) {
        long n = OBJECT + 24 * FIELD + INSTANT + (x.latency() == null ? 0 : INSTANT);
        n += chars(x.id()) + chars(x.transactionId()) + chars(x.api()) + chars(x.plan()) + chars(x.application())
                + chars(x.applicationClientId()) + chars(x.method()) + chars(x.scheme()) + chars(x.host())
                + chars(x.path()) + chars(x.query()) + chars(x.peer()) + chars(x.userAgent())
                + chars(x.traceparent()) + chars(x.node());
        n += headers(x.requestHeaders()) + headers(x.responseHeaders());
        n += body(x.requestBody()) + body(x.responseBody());
        n += strings(x.forwardedFor());
        n += list(x.tokens());
        for (TokenIdentity t : x.tokens()) {
            n += OBJECT + 15 * FIELD + (t.iat() == null ? 0 : INSTANT) + (t.exp() == null ? 0 : INSTANT)
                    + chars(t.fingerprint()) + chars(t.scheme()) + chars(t.alg()) + chars(t.jti()) + chars(t.sid())
                    + chars(t.sub()) + chars(t.clientId()) + chars(t.iss()) + chars(t.typ()) + chars(t.scope())
                    + strings(t.aud());
        }
        return n;
    }

    private static long event(TokenEvent e) {
        long n = OBJECT + 16 * FIELD + INSTANT;
        n += chars(e.id()) + chars(e.eventName()) + chars(e.realm()) + chars(e.clientId()) + chars(e.userId())
                + chars(e.sessionId()) + chars(e.ip()) + chars(e.accessTokenId()) + chars(e.refreshTokenId())
                + chars(e.newRefreshTokenId()) + chars(e.error()) + chars(e.actor()) + chars(e.node());
        Map<String, String> d = e.details();
        if (!d.isEmpty()) {
            n += MAP + FIELD * 2L * d.size();
            for (var entry : d.entrySet()) {
                n += MAP_ENTRY + chars(entry.getKey()) + chars(entry.getValue());
            }
        }
        return n;
    }

    private static long finding(Finding f) {
        return OBJECT + 14 * FIELD + 3 * INSTANT + chars(f.id()) + chars(f.rule()) + chars(f.summary())
                + strings(f.recordIds()) + chars(f.tokenId()) + chars(f.sessionId()) + chars(f.fingerprint())
                + chars(f.userId()) + chars(f.peer()) + chars(f.node());
    }

    private static long audit(AuditEvent a) {
        return OBJECT + 8 * FIELD + INSTANT + chars(a.id()) + chars(a.actor()) + chars(a.via()) + chars(a.action())
                + chars(a.subject()) + chars(a.node());
    }

    private static long headers(List<Header> hs) {
        long n = list(hs);
        for (Header h : hs) {
            n += OBJECT + 2 * FIELD + chars(h.name()) + chars(h.value());
        }
        return n;
    }

    private static long body(Body b) {
        return b == Body.NONE ? 0 : OBJECT + 6 * FIELD + chars(b.text()) + chars(b.contentType())
                + chars(b.contentEncoding());
    }

    private static long strings(List<String> ss) {
        long n = list(ss);
        for (String s : ss) {
            n += chars(s);
        }
        return n;
    }

    private static long list(List<?> l) {
        return l.isEmpty() ? 0 : OBJECT + FIELD + OBJECT + FIELD * l.size();
    }

    private static long chars(String s) {
        return s == null ? 0 : STRING + 2L * s.length();
    }
}
