/**
 * Reading every shard under a data root as one time-ordered store: timelines linked through
 * token ids and sessions, replay windows, search. {@link dev.tokentrail.index.query.ReplayReader}
 * is the only entry point; callers never build Lucene queries.
 *
 * <p>Must never: write to a shard, take a shard's write lock, load an unbounded number of
 * documents, or echo a pasted raw token.
 */
package dev.tokentrail.index.query;
