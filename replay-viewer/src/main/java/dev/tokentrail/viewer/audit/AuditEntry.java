package dev.tokentrail.viewer.audit;

import java.time.Instant;

/**
 * One audited action.
 *
 * @param time    when
 * @param user    who (principal name)
 * @param via     how they were logged in
 * @param action  {@code search}, {@code timeline}, {@code exchange}, {@code export-har}, ...
 * @param subject what was looked at: identifiers the data knows as they are, anything else typed as
 *                a fingerprint reference (see {@link AuditLog#typed})
 * @param results how many records were shown, or -1
 */
public record AuditEntry(Instant time, String user, String via, String action, String subject, long results) {
}
