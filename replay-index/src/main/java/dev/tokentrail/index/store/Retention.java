package dev.tokentrail.index.store;

import java.io.IOException;
import java.time.Instant;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.FieldDoc;

/** Keeps a shard within its age and size limits. Runs on the writer thread only. */
final class Retention {

    /** Trim to this fraction of the cap, so the next pass does not trim again at once. */
    private static final double TRIM_TO = 0.8;

    private final ShardConfig config;

    Retention(ShardConfig config) {
        this.config = config;
    }

    /** @return documents deleted */
    long apply(IndexWriter writer) throws IOException {
        if (writer == null) {
            return 0;
        }
        long deleted = 0;
        if (config.maxAge() != null) {
            long cutoff = Documents.micros(Instant.now().minus(config.maxAge()));
            deleted += deleteBefore(writer, cutoff);
        }
        if (config.maxBytes() > 0) {
            try (DirectoryReader reader = DirectoryReader.open(writer)) {
                long size = liveBytes(reader);
                if (size > config.maxBytes()) {
                    deleted += trimOldest(writer, reader, 1.0 - (TRIM_TO * config.maxBytes()) / size);
                }
            }
        }
        if (deleted > 0) {
            // Reclaims the space in the background; the next commit after those merges frees it on disk.
            writer.forceMergeDeletes(false);
        }
        return deleted;
    }

    /**
     * The bytes the shard's records take once deleted records are merged away: each segment's files
     * in proportion to its live documents. Not the directory listing: right after a trim or during a
     * merge, that still holds segments already merged away (until the next commit) and half-written
     * merge output, and trimming by it would delete again records the last pass already made room
     * for.
     */
    static long liveBytes(DirectoryReader reader) throws IOException {
        double bytes = 0;
        for (LeafReaderContext leaf : reader.leaves()) {
            LeafReader r = FilterLeafReader.unwrap(leaf.reader());
            if (r.maxDoc() > 0 && r instanceof SegmentReader segment) {
                bytes += (double) segment.getSegmentInfo().sizeInBytes() * r.numDocs() / r.maxDoc();
            }
        }
        return (long) Math.ceil(bytes);
    }

    private static long deleteBefore(IndexWriter writer, long micros) throws IOException {
        long before = writer.getDocStats().numDocs;
        writer.deleteDocuments(LongPoint.newRangeQuery(Schema.TIME.field(), Long.MIN_VALUE, micros - 1));
        writer.flush();
        return Math.max(0, before - writer.getDocStats().numDocs);
    }

    /** Deletes roughly the oldest {@code fraction} of documents, by time. */
    private static long trimOldest(IndexWriter writer, DirectoryReader reader, double fraction) throws IOException {
        int n = reader.numDocs();
        if (n == 0) {
            return 0;
        }
        int k = (int) Math.min(n, Math.max(1, Math.ceil(n * fraction)));
        IndexSearcher searcher = new IndexSearcher(reader);
        TopFieldDocs top = searcher.search(new MatchAllDocsQuery(), k,
                new Sort(new SortField(Schema.TIME.field(), SortField.Type.LONG)), false);
        FieldDoc last = (FieldDoc) top.scoreDocs[top.scoreDocs.length - 1];
        long cutoff = (Long) last.fields[0];
        return deleteBefore(writer, cutoff + 1);
    }
}
