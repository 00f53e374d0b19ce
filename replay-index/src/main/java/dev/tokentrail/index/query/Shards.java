package dev.tokentrail.index.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The set of shards under a data root, as point-in-time snapshots. A snapshot is immutable and
 * reference-counted: queries hold one while they run, {@link #refresh()} swaps in a newer one
 * (new commits, new shard directories) and the old one closes when its last query releases it.
 */
final class Shards implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Shards.class.getName());

    private final Path root;
    private final Map<Path, Directory> directories = new LinkedHashMap<>();
    private volatile Snapshot current;
    private boolean closed;

    Shards(Path root) {
        this.root = root;
        this.current = new Snapshot(List.of());
        refresh();
    }

    /** One shard in a snapshot: its directory and the reader of its latest commit. */
    record Shard(Path directory, DirectoryReader reader) {
    }

    /** An immutable view over every shard at one moment. */
    static final class Snapshot {
        final List<Shard> shards;
        final IndexSearcher searcher;
        private final AtomicInteger refs = new AtomicInteger(1);

        Snapshot(List<Shard> shards) {
            this.shards = List.copyOf(shards);
            IndexReader[] readers = shards.stream().map(Shard::reader).toArray(IndexReader[]::new);
            try {
                // closeSubReaders=false: shard readers are shared across snapshots and ref-counted.
                this.searcher = new IndexSearcher(new MultiReader(readers, false));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        boolean tryAcquire() {
            int r;
            do {
                r = refs.get();
                if (r <= 0) {
                    return false;
                }
            } while (!refs.compareAndSet(r, r + 1));
            return true;
        }

        void release() {
            if (refs.decrementAndGet() == 0) {
                for (Shard s : shards) {
                    try {
                        s.reader().decRef();
                    } catch (IOException e) {
                        LOG.log(Level.FINE, "closing shard reader", e);
                    }
                }
            }
        }
    }

    /** The current snapshot, acquired: the caller must {@link Snapshot#release()} it. */
    Snapshot acquire() {
        while (true) {
            Snapshot s = current;
            if (s.tryAcquire()) {
                return s;
            }
        }
    }

    /** Picks up new commits and new shard directories. Cheap when nothing changed. */
    synchronized void refresh() {
        if (closed) {
            throw new IllegalStateException("reader closed");
        }
        Snapshot old = current;
        Map<Path, DirectoryReader> previous = new LinkedHashMap<>();
        old.shards.forEach(s -> previous.put(s.directory(), s.reader()));
        List<Shard> next = new ArrayList<>();
        boolean changed = false;
        for (Path dir : shardDirectories()) {
            DirectoryReader before = previous.get(dir);
            try {
                DirectoryReader reader;
                if (before == null) {
                    reader = open(dir);
                    if (reader == null) {
                        continue; // no commit yet: its writer has not committed anything
                    }
                    changed = true;
                } else {
                    DirectoryReader newer = DirectoryReader.openIfChanged(before);
                    if (newer == null) {
                        before.incRef();
                        reader = before;
                    } else {
                        reader = newer;
                        changed = true;
                    }
                }
                next.add(new Shard(dir, reader));
            } catch (IOException | RuntimeException e) {
                // A shard mid-retention or a vanished directory must not take the others down.
                LOG.log(Level.WARNING, "Tokentrail: cannot read shard " + dir + ": " + e.getMessage(), e);
                if (before != null) {
                    before.incRef();
                    next.add(new Shard(dir, before));
                }
            }
        }
        if (!changed && next.size() == old.shards.size()) {
            next.forEach(s -> {
                try {
                    s.reader().decRef();
                } catch (IOException e) {
                    LOG.log(Level.FINE, "decRef", e);
                }
            });
            return;
        }
        current = new Snapshot(next);
        old.release();
    }

    private DirectoryReader open(Path dir) throws IOException {
        Directory d = directories.get(dir);
        if (d == null) {
            d = FSDirectory.open(dir);
            directories.put(dir, d);
        }
        try {
            return DirectoryReader.open(d);
        } catch (IndexNotFoundException noCommitYet) {
            return null;
        }
    }

    /** Shard directories: every child of the root that holds (or will hold) a Lucene index. */
    private List<Path> shardDirectories() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(Shards::looksLikeIndex)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list data root " + root, e);
        }
    }

    private static boolean looksLikeIndex(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> {
                String n = f.getFileName().toString();
                return n.startsWith("segments_") || n.equals("write.lock");
            });
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        current.release();
        for (Directory d : directories.values()) {
            try {
                d.close();
            } catch (IOException e) {
                LOG.log(Level.FINE, "closing directory", e);
            }
        }
    }
}
