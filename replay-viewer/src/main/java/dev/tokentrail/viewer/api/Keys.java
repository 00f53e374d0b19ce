package dev.tokentrail.viewer.api;

import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.query.Page;
import dev.tokentrail.index.query.PageRequest;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.query.SearchQuery;
import dev.tokentrail.index.query.Timeline;
import dev.tokentrail.index.store.Schema;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Timeline keys the viewer puts in its own URLs. A raw token's timeline comes back keyed
 * {@code fingerprint:<fp>}, but the reader (replay-index 0.1.0) reads any key it does not know as
 * a raw token and fingerprints it again, so that key finds nothing. Until the reader accepts its
 * own display key, the viewer resolves it here: through the token's jti when one exchange names
 * it (the reader links the rest), else by an exact fingerprint filter.
 */
final class Keys {

    static final String FINGERPRINT = "fingerprint:";

    private Keys() {
    }

    /** The key that reopens a presented token's timeline without the raw value. */
    static String of(TokenIdentity t) {
        if (t == null) {
            return null;
        }
        return t.jti() != null ? t.jti() : t.fingerprint() != null ? FINGERPRINT + t.fingerprint() : null;
    }

    static Timeline timeline(ReplayReader reader, String key, PageRequest page) {
        return window(reader, key, null, null, page);
    }

    static Timeline around(ReplayReader reader, Instant time, String key, Duration before, Duration after,
                           PageRequest page) {
        if (!key.startsWith(FINGERPRINT)) {
            return reader.around(time, key, before, after, page);
        }
        return window(reader, key, time.minus(before), time.plus(after), page);
    }

    private static Timeline window(ReplayReader reader, String key, Instant from, Instant to, PageRequest page) {
        if (!key.startsWith(FINGERPRINT)) {
            return reader.timeline(key, page);
        }
        String fp = key.substring(FINGERPRINT.length());
        Map<String, String> byFingerprint = Map.of(Schema.FINGERPRINT.field(), fp);
        String jti = jtiOf(reader, fp, byFingerprint);
        if (jti != null) {
            Timeline t = from == null ? reader.timeline(jti, page)
                    : reader.around(from.plus(Duration.between(from, to).dividedBy(2)), jti,
                    Duration.between(from, to).dividedBy(2), Duration.between(from, to).dividedBy(2), page);
            return new Timeline(key, Timeline.KeyKind.TOKEN, t.tokenIds(), t.sessionIds(), t.page());
        }
        Page<ReplayRecord> p = reader.search(new SearchQuery(null, byFingerprint, from, to, false), page);
        return new Timeline(key, Timeline.KeyKind.TOKEN, Set.of(), Set.of(), p);
    }

    private static String jtiOf(ReplayReader reader, String fp, Map<String, String> byFingerprint) {
        Page<ReplayRecord> one = reader.search(new SearchQuery(null, byFingerprint, null, null, false), PageRequest.first(5));
        for (ReplayRecord r : one.items()) {
            if (r instanceof Exchange x) {
                for (TokenIdentity t : x.tokens()) {
                    if (fp.equals(t.fingerprint()) && t.jti() != null) {
                        return t.jti();
                    }
                }
            }
        }
        return null;
    }
}
