/**
 * Durable storage: one Lucene shard per writing process under a data root, the {@link
 * dev.tokentrail.index.store.Schema} that names every field, and the {@link
 * dev.tokentrail.index.store.ShardWriter} that batches records into it on its own thread.
 *
 * <p>Must never: block or do disk I/O on a caller's thread, throw at an adapter for a full queue,
 * share a shard directory between two processes, or store a record that was not masked.
 */
package dev.tokentrail.index.store;
