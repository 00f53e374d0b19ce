package dev.tokentrail.index.query;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.store.RecordCodec;
import dev.tokentrail.index.store.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;

/**
 * Reads every shard under a data root, including shards that live processes are writing, as one
 * time-ordered store. New commits and new shards are picked up without a restart (at most
 * {@link #REFRESH_EVERY} after they happen, or at once with {@link #refresh()}).
 *
 * <p>Every result is paged and bounded. Thread-safe; one instance per data root is enough.
 */
public final class ReplayReader implements AutoCloseable {

    /** Queries refresh the view of the shards at most this often. */
    public static final Duration REFRESH_EVERY = Duration.ofMillis(250);

    private final Path root;
    private final Shards shards;
    private final Fingerprinter fingerprinter;
    private final Queries queries = new Queries();
    private volatile long lastRefresh = System.nanoTime();

    private ReplayReader(Path root) {
        this.root = root;
        this.shards = new Shards(root);
        this.fingerprinter = Fingerprinter.forRoot(root);
    }

    /** Opens a reader over every shard under {@code root} (which may not hold any shard yet). */
    public static ReplayReader open(Path root) {
        return new ReplayReader(root);
    }

    /**
     * The records linked to a key, IdP events and gateway exchanges interleaved in time order.
     * The key may be a raw token (fingerprinted here, never stored), an access or refresh token
     * id, a session id, a user id, a client id or an IP address. Token and session keys follow
     * the links through IdP events: the session, the refresh chain (access token -> refresh ->
     * next access token), revocations of any token of the chain.
     */
    public Timeline timeline(String key, PageRequest page) {
        return window(key, null, null, page);
    }

    /** The replay window: what the same token, session or peer did {@code before} and {@code after} a moment. */
    public Timeline around(Instant time, String key, Duration before, Duration after, PageRequest page) {
        return window(key, time.minus(before), time.plus(after), page);
    }

    private Timeline window(String key, Instant from, Instant to, PageRequest page) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a timeline needs a key: token, token id, session, user, client or IP");
        }
        return withSearcher(searcher -> {
            Links links = Links.resolve(key.strip(), searcher, fingerprinter);
            Query q = queries.timeRange(links.query(), from, to);
            Page<ReplayRecord> p = links.isEmpty() ? new Page<>(List.of(), null, 0, true)
                    : queries.page(searcher, q, page, false);
            return new Timeline(links.displayKey(), links.kind(), links.tokenIds(), links.sessionIds(), p);
        });
    }

    /** One record by id. */
    public Optional<ReplayRecord> record(String id) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        return withSearcher(searcher -> {
            TopDocs top = searcher.search(new TermQuery(new Term(Schema.ID.field(), id)), 1);
            if (top.scoreDocs.length == 0) {
                return Optional.<ReplayRecord>empty();
            }
            return Optional.of(queries.load(searcher, top.scoreDocs[0].doc));
        });
    }

    /** One gateway exchange by request id. */
    public Optional<Exchange> exchange(String id) {
        return record(id).filter(Exchange.class::isInstance).map(Exchange.class::cast);
    }

    /** Free text, exact keys and field filters over a time range; see {@link SearchQuery}. */
    public Page<ReplayRecord> search(SearchQuery query, PageRequest page) {
        return withSearcher(searcher -> {
            Query q = queries.search(query, searcher, fingerprinter);
            return queries.page(searcher, q, page, query.newestFirst());
        });
    }

    /**
     * Streams every IdP event and exchange with {@code from <= time < to} to {@code consumer} in
     * time order, one bounded page at a time, over one consistent snapshot. For rules and exports
     * that must see everything in a range without holding it in memory.
     *
     * @return how many records were streamed
     */
    public long scan(Instant from, Instant to, java.util.function.Consumer<? super ReplayRecord> consumer) {
        return withSearcher(searcher -> {
            Query kinds = new org.apache.lucene.search.BooleanQuery.Builder()
                    .add(new TermQuery(new Term(Schema.KIND.field(), "event")), org.apache.lucene.search.BooleanClause.Occur.SHOULD)
                    .add(new TermQuery(new Term(Schema.KIND.field(), "exchange")), org.apache.lucene.search.BooleanClause.Occur.SHOULD)
                    .build();
            long count = 0;
            Instant lo = from;
            String cursor = null;
            while (true) {
                // Narrow the range to the cursor's time so each page only looks at what is left.
                Page<ReplayRecord> page = queries.page(searcher, queries.timeRange(kinds, lo, to == null ? null
                        : to.minusNanos(1_000)), new PageRequest(PageRequest.MAX_SIZE, cursor), false);
                for (ReplayRecord r : page.items()) {
                    consumer.accept(r);
                    count++;
                }
                if (!page.hasNext()) {
                    return count;
                }
                cursor = page.nextCursor();
                lo = page.items().get(page.items().size() - 1).time();
            }
        });
    }

    /** The shards seen now, with their size and the writer counters of their last commit. */
    public List<ShardInfo> shards() {
        maybeRefresh();
        Shards.Snapshot s = shards.acquire();
        try {
            List<ShardInfo> out = new ArrayList<>();
            for (Shards.Shard shard : s.shards) {
                Map<String, String> data = shard.reader().getIndexCommit().getUserData();
                Map<String, Long> counters = new HashMap<>();
                for (String c : List.of("offered", "dropped", "indexed", "failed")) {
                    if (data.containsKey(c)) {
                        counters.put(c, Long.parseLong(data.get(c)));
                    }
                }
                String dirName = shard.directory().getFileName().toString();
                int dash = dirName.indexOf('-');
                String component = data.getOrDefault("component", dash > 0 ? dirName.substring(0, dash) : dirName);
                String node = data.getOrDefault("node", dash > 0 ? dirName.substring(dash + 1) : "");
                Instant committed = data.containsKey("committedAt") ? Instant.parse(data.get("committedAt")) : null;
                out.add(new ShardInfo(shard.directory(), component, node, shard.reader().numDocs(),
                        sizeOf(shard.directory()), committed, counters));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            s.release();
        }
    }

    /** Picks up new commits and shards now. */
    public void refresh() {
        shards.refresh();
        lastRefresh = System.nanoTime();
    }

    /** The data root this reader covers. */
    public Path root() {
        return root;
    }

    /** The keyed fingerprint of a raw credential under this data root's key. */
    public String fingerprint(String rawToken) {
        TokenIdentity id = TokenIdentity.of(rawToken, fingerprinter);
        return id == null ? null : id.fingerprint();
    }

    @Override
    public void close() {
        shards.close();
    }

    private void maybeRefresh() {
        if (System.nanoTime() - lastRefresh > REFRESH_EVERY.toNanos()) {
            refresh();
        }
    }

    private <T> T withSearcher(SearchFunction<T> f) {
        maybeRefresh();
        Shards.Snapshot s = shards.acquire();
        try {
            return f.apply(s.searcher);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            s.release();
        }
    }

    @FunctionalInterface
    private interface SearchFunction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> {
                try {
                    return Files.isRegularFile(p) ? Files.size(p) : 0;
                } catch (IOException gone) {
                    return 0;
                }
            }).sum();
        }
    }
}
