package dev.tokentrail.index.query;

import dev.tokentrail.index.model.ReplayRecord;
import java.util.Set;

/**
 * A token's, session's, user's, client's or address's records, IdP events and gateway exchanges
 * interleaved in time order.
 *
 * @param key        the key as given (a raw token is never echoed: its fingerprint is)
 * @param resolvedAs what the key turned out to be
 * @param tokenIds   token ids linked to the key (the refresh chain included)
 * @param sessionIds session ids linked to the key
 * @param page       the records of this page
 */
public record Timeline(String key, KeyKind resolvedAs, Set<String> tokenIds, Set<String> sessionIds,
                       Page<ReplayRecord> page) {

    /** What a timeline key was recognized as. */
    public enum KeyKind { TOKEN, TOKEN_ID, SESSION, USER, CLIENT, IP, UNKNOWN }

    public Timeline {
        tokenIds = Set.copyOf(tokenIds);
        sessionIds = Set.copyOf(sessionIds);
    }
}
