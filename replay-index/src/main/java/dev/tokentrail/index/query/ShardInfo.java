package dev.tokentrail.index.query;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * What a reader knows of one shard: its size and the writer counters of its last commit.
 *
 * @param directory   shard directory
 * @param documents   live documents in the last commit seen
 * @param bytes       size on disk
 * @param committedAt when the writer last committed
 * @param counters    writer counters at that commit (offered, dropped, indexed, failed)
 */
public record ShardInfo(Path directory, String component, String node, long documents, long bytes,
                        Instant committedAt, Map<String, Long> counters) {
    public ShardInfo {
        counters = Map.copyOf(counters);
    }
}
