/**
 * Who searched or opened what, and when: {@code AuditEvent} records in the viewer's own shard
 * ({@code <root>/viewer-<node>}), left out of investigations' searches and timelines, shown in the
 * Audit screen.
 *
 * <p>Must never write a raw credential, however short or punctuated: what someone typed is kept
 * only where the data knows it as an identifier; anything else becomes its fingerprint reference
 * before it reaches the writer.
 */
package dev.tokentrail.viewer.audit;
