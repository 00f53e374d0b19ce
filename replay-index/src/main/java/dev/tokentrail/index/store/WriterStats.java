package dev.tokentrail.index.store;

import java.time.Duration;
import java.time.Instant;

/**
 * A writer's counters. Invariant once the queue is drained: {@code offered = indexed + dropped + failed}.
 *
 * @param offered           records handed to {@code offer}
 * @param dropped           refused because the queue was full, by count or by bytes (or the writer closed)
 * @param indexed           added to the index
 * @param failed            lost to an indexing error (disk full, ...); see {@code lastError}
 * @param commits           successful commits
 * @param lastCommitLatency how long the last commit took
 * @param queueDepth        records waiting now
 * @param lastCommit        when the last commit finished, or null
 * @param lastError         the last indexing error, or null
 */
public record WriterStats(long offered, long dropped, long indexed, long failed, long commits,
                          Duration lastCommitLatency, int queueDepth, Instant lastCommit, String lastError) {

    /** Records accepted into the queue. */
    public long accepted() {
        return offered - dropped;
    }
}
