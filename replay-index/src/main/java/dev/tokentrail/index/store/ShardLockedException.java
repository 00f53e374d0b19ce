package dev.tokentrail.index.store;

import java.nio.file.Path;

/** Another process (or another writer in this one) already writes this shard directory. */
public final class ShardLockedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final transient Path directory;

    ShardLockedException(Path directory, Throwable cause) {
        super("Shard " + directory + " is locked by another writer (Lucene write.lock held)."
                + " Two processes must never share one shard: give each node its own node name.", cause);
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }
}
