package dev.tokentrail.index.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how one process writes its shard.
 *
 * @param root            data root shared by every component (holds the fingerprint key)
 * @param component       who writes: {@code keycloak}, {@code gateway}, {@code viewer}
 * @param node            this process's node name; the shard is {@code <root>/<component>-<node>}
 * @param queueCapacity   records held in memory before new ones are dropped (and counted)
 * @param queueBytes      estimated bytes those records may retain (bodies, headers, strings) before new
 *                        ones are dropped (and counted): the memory bound, whatever the body limit
 * @param commitInterval  how often queued records become durable and visible to readers
 * @param maxAge          records older than this are deleted in the background (null: keep)
 * @param maxBytes        the shard is trimmed, oldest first, above this size (0: no cap)
 * @param indexingPause   a pause before each batch: only for tests and benchmarks that need a slow writer
 * @param background      whether the writer thread yields the CPU to its host ({@link CpuPriority}):
 *                        under CPU saturation it falls behind and drops instead of slowing the server
 * @param retentionInterval how often the writer thread applies {@code maxAge} and {@code maxBytes}
 *                        (default 1 minute; null: the default)
 */
public record ShardConfig(Path root, String component, String node, int queueCapacity, long queueBytes,
                          Duration commitInterval, Duration maxAge, long maxBytes, Duration indexingPause,
                          boolean background, Duration retentionInterval) {

    public static final int DEFAULT_QUEUE_CAPACITY = 65_536;
    public static final long DEFAULT_QUEUE_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofMinutes(1);

    public ShardConfig {
        Objects.requireNonNull(root, "root");
        component = requireName(component, "component");
        node = requireName(node, "node");
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
        }
        if (queueBytes < 1) {
            throw new IllegalArgumentException("queueBytes must be at least 1, was " + queueBytes);
        }
        if (commitInterval == null || commitInterval.isNegative() || commitInterval.isZero()) {
            throw new IllegalArgumentException("commitInterval must be positive, was " + commitInterval);
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("maxAge must be positive when set, was " + maxAge);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be 0 (no cap) or positive, was " + maxBytes);
        }
        indexingPause = indexingPause == null ? Duration.ZERO : indexingPause;
        retentionInterval = retentionInterval == null ? DEFAULT_RETENTION_INTERVAL : retentionInterval;
        if (retentionInterval.isNegative() || retentionInterval.isZero()) {
            throw new IllegalArgumentException("retentionInterval must be positive, was " + retentionInterval);
        }
    }

    /**
     * Defaults: 65,536 queued records within 64 MiB, commit every second, no retention limits (checked
     * every minute once set), normal priority.
     */
    public static ShardConfig of(Path root, String component, String node) {
        return new ShardConfig(root, component, node, DEFAULT_QUEUE_CAPACITY, DEFAULT_QUEUE_BYTES,
                DEFAULT_COMMIT_INTERVAL, null, 0, Duration.ZERO, false, DEFAULT_RETENTION_INTERVAL);
    }

    public ShardConfig withQueueCapacity(int v) {
        return new ShardConfig(root, component, node, v, queueBytes, commitInterval, maxAge, maxBytes, indexingPause,
                background, retentionInterval);
    }

    /** The memory budget of the queue: estimated bytes retained by the records waiting (default 64 MiB). */
    public ShardConfig withQueueBytes(long v) {
        return new ShardConfig(root, component, node, queueCapacity, v, commitInterval, maxAge, maxBytes,
                indexingPause, background, retentionInterval);
    }

    public ShardConfig withCommitInterval(Duration v) {
        return new ShardConfig(root, component, node, queueCapacity, queueBytes, v, maxAge, maxBytes, indexingPause,
                background, retentionInterval);
    }

    public ShardConfig withRetention(Duration age, long bytes) {
        return new ShardConfig(root, component, node, queueCapacity, queueBytes, commitInterval, age, bytes,
                indexingPause, background, retentionInterval);
    }

    public ShardConfig withIndexingPause(Duration v) {
        return new ShardConfig(root, component, node, queueCapacity, queueBytes, commitInterval, maxAge, maxBytes, v,
                background, retentionInterval);
    }

    public ShardConfig withBackground(boolean v) {
        return new ShardConfig(root, component, node, queueCapacity, queueBytes, commitInterval, maxAge, maxBytes,
                indexingPause, v, retentionInterval);
    }

    /**
     * How often the writer thread applies the retention limits (default 1 minute). Between passes
     * the shard may grow past {@code maxBytes} by what is written meanwhile.
     */
    public ShardConfig withRetentionInterval(Duration v) {
        return new ShardConfig(root, component, node, queueCapacity, queueBytes, commitInterval, maxAge, maxBytes,
                indexingPause, background, v);
    }

    /** The shard directory this configuration writes. */
    public Path directory() {
        return root.resolve(component + "-" + node);
    }

    private static String requireName(String s, String what) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        // Names become directory names: keep them portable and free of path tricks.
        String clean = s.strip().replaceAll("[^A-Za-z0-9._-]", "_");
        if (clean.startsWith(".")) {
            clean = "_" + clean.substring(1);
        }
        return clean;
    }
}
