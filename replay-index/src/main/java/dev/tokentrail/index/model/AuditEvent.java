package dev.tokentrail.index.model;

import java.time.Instant;
import java.util.Objects;

/**
 * Who looked at what: the viewer records every search, timeline, record opened and export, since
 * the data it shows is sensitive. Kept in the viewer's own shard; never part of a timeline and
 * left out of searches unless {@code kind=audit} is asked for.
 *
 * @param id      unique id
 * @param time    when
 * @param actor   the investigator (OIDC subject/username, or "local" in local-token mode)
 * @param via     how they were authenticated (oidc, local-token, ...) and from where
 * @param action  what they did: search, timeline, record, export-har, ...
 * @param subject what it was about, with any credential already replaced by its fingerprint reference
 * @param results how many records were returned (-1 when not applicable)
 * @param node    the viewer node
 */
public record AuditEvent(String id, Instant time, String actor, String via, String action, String subject,
                         long results, String node) implements ReplayRecord {
    public AuditEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(action, "action");
    }
}
