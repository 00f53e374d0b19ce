/**
 * Who searched or opened what, and when: an append-only JSON-lines file in the data root,
 * readable by the owner only, shown in the UI.
 *
 * <p>A stop-gap until replay-index has an audit record type for the viewer's own shard. It must
 * never write a raw credential: anything that looks like one is replaced by its fingerprint
 * reference before it reaches the file.
 */
package dev.tokentrail.viewer.audit;
