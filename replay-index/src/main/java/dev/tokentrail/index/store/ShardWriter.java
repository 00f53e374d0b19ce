package dev.tokentrail.index.store;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.model.Finding;
import dev.tokentrail.index.model.ReplayRecord;
import org.apache.lucene.index.Term;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * The one writer of one shard. {@link #offer} never blocks: it queues or, when the queue is
 * full (by count, or by the estimated bytes its records retain), drops and counts. A single background thread batches records into Lucene and commits
 * every {@link ShardConfig#commitInterval()}, so what a reader sees is always a whole commit.
 * {@link #close()} drains the queue and commits.
 *
 * <p>Thread-safe. No disk I/O ever happens on the caller's thread.
 */
public final class ShardWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ShardWriter.class.getName());
    /**
     * Lucene advises every JVM without the incubating vector module to add it. We are a guest in
     * Keycloak's and Gravitee's JVMs, whose operators cannot act on that advice for us: keep it out
     * of their logs. Held strongly, since JUL forgets unreferenced logger settings.
     */
    static final Logger VECTOR_ADVICE = quiet("org.apache.lucene.internal.vectorization.VectorizationProvider");

    private static Logger quiet(String name) {
        Logger l = Logger.getLogger(name);
        l.setLevel(Level.SEVERE);
        return l;
    }
    private static final int BATCH = 512;
    private static final long REOPEN_BACKOFF_MS = 2_000;

    private final ShardConfig config;
    private final Path directory;
    private final ArrayBlockingQueue<Queued> queue;
    /**
     * Estimated bytes retained by the records accepted and not yet indexed: queued, or in the batch
     * being indexed (a batch holds its records until it is done). Never above {@code queueBytes}.
     */
    private final AtomicLong queuedBytes = new AtomicLong();
    private final ConcurrentLinkedQueue<Request> commitRequests = new ConcurrentLinkedQueue<>();

    /** A queued record with its estimated size, computed once on the caller's thread. */
    private record Queued(ReplayRecord record, long bytes) {
    }

    /** A caller waiting for the writer thread: a commit, optionally after a retention pass. */
    private record Request(CompletableFuture<Void> done, boolean retention) {
    }
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final LongAdder offered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();
    private volatile Duration lastCommitLatency = Duration.ZERO;
    private volatile Instant lastCommit;
    private final AtomicReference<String> lastError = new AtomicReference<>();

    // Owned by the writer thread after construction.
    private Directory dir;
    private IndexWriter writer;
    private long uncommitted;
    private final Retention retention;

    /** How a shard directory is opened; tests wrap it to simulate a full disk. */
    @FunctionalInterface
    interface DirectoryFactory {
        Directory open(Path path) throws IOException;
    }

    private final DirectoryFactory directories;

    private ShardWriter(ShardConfig config, DirectoryFactory directories) throws IOException {
        this.config = config;
        this.directories = directories;
        this.directory = config.directory();
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.retention = new Retention(config);
        openWriter();
        this.thread = Thread.ofPlatform().daemon().name("tokentrail-writer-" + config.component()).unstarted(this::run);
        thread.start();
    }

    /**
     * Opens (or creates) the shard and starts its writer thread.
     *
     * @throws ShardLockedException when another writer holds the shard
     * @throws UncheckedIOException when the directory cannot be created or written, naming it
     */
    public static ShardWriter open(ShardConfig config) {
        return open(config, FSDirectory::open);
    }

    static ShardWriter open(ShardConfig config, DirectoryFactory directories) {
        try {
            return new ShardWriter(config, directories);
        } catch (LockObtainFailedException e) {
            throw new ShardLockedException(config.directory(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open shard " + config.directory() + ": " + e.getMessage(), e);
        }
    }

    private void openWriter() throws IOException {
        Fingerprinter.createOwnerOnly(directory);
        if (!Files.isWritable(directory)) {
            throw new IOException("shard directory " + directory + " is not writable by this process");
        }
        Directory d = directories.open(directory);
        IndexWriterConfig iwc = new IndexWriterConfig(new StandardAnalyzer())
                .setCodec(new Lucene104Codec(Lucene104Codec.Mode.BEST_COMPRESSION))
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(32)
                .setCommitOnClose(false);
        ConcurrentMergeScheduler cms = new ConcurrentMergeScheduler();
        cms.setMaxMergesAndThreads(2, 1); // a guest in someone's gateway: never hog its cores
        iwc.setMergeScheduler(cms);
        try {
            IndexWriter w = new IndexWriter(d, iwc);
            this.dir = d;
            this.writer = w;
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /**
     * Queues a record for indexing. Never blocks and never throws for a full queue.
     *
     * @return false when the record was dropped (queue full by count or by bytes, or writer closed)
     */
    public boolean offer(ReplayRecord record) {
        offered.increment();
        if (record == null || closed.get()) {
            dropped.increment();
            return false;
        }
        long bytes = RetainedSize.of(record);
        if (!reserve(bytes)) {
            dropped.increment();
            return false;
        }
        if (!queue.offer(new Queued(record, bytes))) {
            queuedBytes.addAndGet(-bytes);
            dropped.increment();
            return false;
        }
        return true;
    }

    /** Takes {@code bytes} of the queue's budget, or nothing when they do not fit. Never waits. */
    private boolean reserve(long bytes) {
        long budget = config.queueBytes();
        while (true) {
            long held = queuedBytes.get();
            if (bytes > budget - held) {
                return false;
            }
            if (queuedBytes.compareAndSet(held, held + bytes)) {
                return true;
            }
        }
    }

    /** Gives back the budget of records that left the writer (indexed, failed or lost). */
    private void release(List<Queued> done) {
        long bytes = 0;
        for (Queued q : done) {
            bytes += q.bytes();
        }
        queuedBytes.addAndGet(-bytes);
    }

    /**
     * Commits everything queued before this call, waiting up to {@code timeout}. For tests,
     * tools and orderly shutdowns; adapters rely on the periodic commit.
     *
     * @return true when the commit happened in time
     */
    public boolean commitNow(Duration timeout) {
        return request(timeout, false);
    }

    /**
     * Applies the retention limits now rather than at the next periodic pass (at most
     * {@link ShardConfig#retentionInterval()} away), then commits. For operators' tools and tests.
     */
    public boolean applyRetentionNow() {
        return request(Duration.ofSeconds(60), true);
    }

    private boolean request(Duration timeout, boolean retention) {
        if (closed.get()) {
            return false;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        // The writer thread polls at least every 100 ms; an interrupt would close Lucene's channels.
        commitRequests.add(new Request(done, retention));
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** A snapshot of the counters. */
    public WriterStats stats() {
        return new WriterStats(offered.sum(), dropped.sum(), indexed.get(), failed.get(), commits.get(),
                lastCommitLatency, queue.size(), lastCommit, lastError.get());
    }

    /** The shard directory. */
    public Path directory() {
        return directory;
    }

    public ShardConfig config() {
        return config;
    }

    /** Stops accepting, drains the queue, commits and releases the shard. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.join(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warning(() -> "Tokentrail writer for " + directory + " did not finish draining within 60 s");
        }
    }

    private void run() {
        if (config.background()) {
            String why = CpuPriority.lowerCurrentThread();
            if (why != null) {
                LOG.info(() -> "Tokentrail writer for " + directory + " runs at normal CPU priority: " + why);
            }
        }
        List<Queued> batch = new ArrayList<>(BATCH);
        long nextCommit = System.nanoTime() + config.commitInterval().toNanos();
        long nextRetention = System.nanoTime() + config.retentionInterval().toNanos();
        while (true) {
            boolean closing = closed.get();
            if (writer == null && !closing) {
                recover(); // the shard could not be reopened last time (disk still full?): try again
            }
            try {
                long wait = Math.max(0, nextCommit - System.nanoTime());
                Queued first = commitRequests.isEmpty() && !closing
                        ? queue.poll(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS)
                        : queue.poll();
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, BATCH - 1);
                    if (!config.indexingPause().isZero()) {
                        Thread.sleep(config.indexingPause());
                    }
                    try {
                        index(batch);
                    } finally {
                        release(batch);
                        batch.clear(); // indexed or counted as failed: never retried twice
                    }
                    if (!queue.isEmpty() && System.nanoTime() < nextCommit && commitRequests.isEmpty()) {
                        continue;
                    }
                }
                // Count requests before checking the queue: a request's records were queued before it.
                int pending = commitRequests.size();
                boolean requested = pending > 0;
                if (requested && !queue.isEmpty()) {
                    continue; // a commit request covers everything queued before it: index that first
                }
                long now = System.nanoTime();
                if (requested && commitRequests.stream().limit(pending).anyMatch(Request::retention)) {
                    retention.apply(writer);
                }
                if (now >= nextCommit || requested || closing) {
                    commit();
                    nextCommit = now + config.commitInterval().toNanos();
                    completeCommitRequests(null, pending);
                }
                if (now >= nextRetention) {
                    nextRetention = now + config.retentionInterval().toNanos();
                    retention.apply(writer);
                }
                if (closing && queue.isEmpty()) {
                    break;
                }
            } catch (InterruptedException e) {
                // only the JVM interrupts us (shutdown): keep draining, close() bounds the wait
                Thread.interrupted();
            } catch (Throwable t) {
                recordError(t);
                completeCommitRequests(t, Integer.MAX_VALUE);
                recover();
                if (closing) {
                    // Nothing more can be written; what is still queued is lost, and counted.
                    List<Queued> lost = new ArrayList<>();
                    queue.drainTo(lost);
                    release(lost);
                    failed.addAndGet(lost.size());
                    break;
                }
            }
        }
        // An offer racing with close() may have slipped in after the last drain.
        List<Queued> rest = new ArrayList<>();
        queue.drainTo(rest);
        if (!rest.isEmpty()) {
            try {
                index(rest);
                commit();
            } catch (Throwable t) {
                recordError(t);
            } finally {
                release(rest);
            }
        }
        closeQuietly();
    }

    private void index(List<Queued> batch) throws IOException {
        for (int i = 0; i < batch.size(); i++) {
            ReplayRecord r = batch.get(i).record();
            if (writer == null) {
                failed.incrementAndGet();
                continue;
            }
            try {
                if (r instanceof Finding) {
                    // Findings are re-evaluated; their id is deterministic, so replace instead of repeating.
                    writer.updateDocument(new Term(Schema.ID.field(), r.id()), Documents.toDocument(r));
                } else {
                    writer.addDocument(Documents.toDocument(r));
                }
                indexed.incrementAndGet();
                uncommitted++;
            } catch (IOException | IllegalStateException tragic) {
                // This record and the rest of the batch will not be indexed: count them, once.
                failed.addAndGet(batch.size() - i);
                throw tragic;
            } catch (RuntimeException badRecord) {
                // One odd record (e.g. unserializable) must not stop the shard.
                failed.incrementAndGet();
                recordError(badRecord);
            }
        }
    }

    private void commit() throws IOException {
        if (writer == null) {
            return;
        }
        if (uncommitted == 0 && !writer.hasUncommittedChanges() && commits.get() > 0 && !closed.get()) {
            return;
        }
        long start = System.nanoTime();
        Map<String, String> data = new HashMap<>();
        data.put("component", config.component());
        data.put("node", config.node());
        data.put("offered", Long.toString(offered.sum()));
        data.put("dropped", Long.toString(dropped.sum()));
        data.put("indexed", Long.toString(indexed.get()));
        data.put("failed", Long.toString(failed.get()));
        data.put("committedAt", Instant.now().toString());
        writer.setLiveCommitData(data.entrySet());
        writer.commit();
        uncommitted = 0;
        commits.incrementAndGet();
        lastCommitLatency = Duration.ofNanos(System.nanoTime() - start);
        lastCommit = Instant.now();
    }

    private void completeCommitRequests(Throwable error, int count) {
        Request r;
        for (int i = 0; i < count && (r = commitRequests.poll()) != null; i++) {
            CompletableFuture<Void> f = r.done();
            if (error == null) {
                f.complete(null);
            } else {
                f.completeExceptionally(error);
            }
        }
    }

    private void recordError(Throwable t) {
        String message = t.getClass().getSimpleName() + ": " + t.getMessage();
        lastError.set(message);
        LOG.log(Level.WARNING, "Tokentrail shard " + directory + ": " + message, t);
    }

    /** After a tragic error (disk full, ...), the IndexWriter is closed: try a fresh one, with backoff. */
    private void recover() {
        if (writer != null && writer.isOpen() && writer.getTragicException() == null) {
            return;
        }
        // What was indexed but not committed died with the old IndexWriter: count it as failed.
        indexed.addAndGet(-uncommitted);
        failed.addAndGet(uncommitted);
        uncommitted = 0;
        closeQuietly();
        try {
            Thread.sleep(REOPEN_BACKOFF_MS);
            openWriter();
            LOG.info(() -> "Tokentrail shard " + directory + " reopened after an error");
        } catch (InterruptedException e) {
            // closing: the loop drains what it can
        } catch (Exception e) {
            recordError(e);
        }
    }

    private void closeQuietly() {
        try {
            if (writer != null) {
                if (writer.isOpen() && writer.getTragicException() == null) {
                    writer.commit();
                }
                writer.close();
            }
        } catch (Exception e) {
            recordError(e);
            try {
                writer.rollback();
            } catch (Exception ignored) {
                // already reported
            }
        } finally {
            writer = null;
            try {
                if (dir != null) {
                    dir.close();
                }
            } catch (IOException ignored) {
                // nothing useful left to do
            }
            dir = null;
        }
    }

}
