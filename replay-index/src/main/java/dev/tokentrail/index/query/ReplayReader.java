package dev.tokentrail.index.query;

import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.ReplayRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API skeleton: implementation follows. */
public final class ReplayReader implements AutoCloseable {
    public static ReplayReader open(Path root) { throw new UnsupportedOperationException(); }
    public Timeline timeline(String key, PageRequest page) { throw new UnsupportedOperationException(); }
    public Optional<ReplayRecord> record(String id) { throw new UnsupportedOperationException(); }
    public Optional<Exchange> exchange(String id) { throw new UnsupportedOperationException(); }
    public Timeline around(Instant time, String key, Duration before, Duration after, PageRequest page) { throw new UnsupportedOperationException(); }
    public Page<ReplayRecord> search(SearchQuery query, PageRequest page) { throw new UnsupportedOperationException(); }
    public List<ShardInfo> shards() { throw new UnsupportedOperationException(); }
    public void refresh() { throw new UnsupportedOperationException(); }
    @Override public void close() { }
}
