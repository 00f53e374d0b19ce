package dev.tokentrail.index.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.FieldDoc;

/** Keeps a shard within its age and size limits. Runs on the writer thread only. */
final class Retention {

    /** Trim to this fraction of the cap, so the next check does not trim again at once. */
    private static final double TRIM_TO = 0.8;

    private final ShardConfig config;

    Retention(ShardConfig config) {
        this.config = config;
    }

    /** @return documents deleted */
    long apply(IndexWriter writer, Path directory) throws IOException {
        if (writer == null) {
            return 0;
        }
        long deleted = 0;
        if (config.maxAge() != null) {
            long cutoff = Documents.micros(Instant.now().minus(config.maxAge()));
            deleted += deleteBefore(writer, cutoff);
        }
        if (config.maxBytes() > 0) {
            long size = sizeOf(directory);
            if (size > config.maxBytes()) {
                deleted += trimOldest(writer, 1.0 - (TRIM_TO * config.maxBytes()) / size);
            }
        }
        if (deleted > 0) {
            writer.forceMergeDeletes(false);
        }
        return deleted;
    }

    private static long deleteBefore(IndexWriter writer, long micros) throws IOException {
        long before = writer.getDocStats().numDocs;
        writer.deleteDocuments(LongPoint.newRangeQuery(Schema.TIME.field(), Long.MIN_VALUE, micros - 1));
        writer.flush();
        return Math.max(0, before - writer.getDocStats().numDocs);
    }

    /** Deletes roughly the oldest {@code fraction} of documents, by time. */
    private static long trimOldest(IndexWriter writer, double fraction) throws IOException {
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            int n = reader.numDocs();
            int k = (int) Math.min(n, Math.max(1, Math.ceil(n * fraction)));
            if (n == 0) {
                return 0;
            }
            IndexSearcher searcher = new IndexSearcher(reader);
            TopFieldDocs top = searcher.search(new MatchAllDocsQuery(), k,
                    new Sort(new SortField(Schema.TIME.field(), SortField.Type.LONG)), false);
            FieldDoc last = (FieldDoc) top.scoreDocs[top.scoreDocs.length - 1];
            long cutoff = (Long) last.fields[0];
            return deleteBefore(writer, cutoff + 1);
        }
    }

    static long sizeOf(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException gone) {
                    return 0; // merged away between list and stat
                }
            }).sum();
        }
    }
}
