package dev.tokentrail.index.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A security finding: a rule that fired on the trail of a token, session, user or peer.
 * Stored like any record, so it appears in the timelines of what it names.
 *
 * @param id          deterministic: the same rule on the same evidence gives the same id, so a
 *                    finding evaluated twice is stored once
 * @param time        when the triggering request or event happened
 * @param rule        rule name, e.g. {@code USE_AFTER_LOGOUT}
 * @param severity    how bad
 * @param summary     one sentence an investigator can act on
 * @param recordIds   the records that triggered it (bounded), the ending event first where there is one
 * @param tokenId     the token's jti, if known
 * @param sessionId   the session, if known
 * @param fingerprint the token's fingerprint, if known
 * @param userId      the user, if known
 * @param peer        the peer address involved, if any
 * @param windowFrom  start of the replay window an investigator should look at
 * @param windowTo    end of that window
 * @param node        the node that evaluated it
 */
public record Finding(String id, Instant time, String rule, Severity severity, String summary, List<String> recordIds,
                      String tokenId, String sessionId, String fingerprint, String userId, String peer,
                      Instant windowFrom, Instant windowTo, String node) implements ReplayRecord {

    /** At most this many triggering record ids are kept. */
    public static final int MAX_RECORD_IDS = 20;

    /** How urgent a finding is. */
    public enum Severity { LOW, MEDIUM, HIGH, CRITICAL }

    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        recordIds = recordIds == null ? List.of()
                : List.copyOf(recordIds.size() > MAX_RECORD_IDS ? recordIds.subList(0, MAX_RECORD_IDS) : recordIds);
    }
}
