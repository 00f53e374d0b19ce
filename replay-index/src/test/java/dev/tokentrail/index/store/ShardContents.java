package dev.tokentrail.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;

/**
 * Every record id in a shard's last commit, read in one pass over the {@code id} doc values
 * (not one query per id), so a test can check all of thousands of records, not a sample.
 * Ids of the form {@code r<n>} land in {@link #numbered}, any other in {@link #others}.
 *
 * @param docs       live documents
 * @param numbered   {@code n} of every live {@code r<n>}
 * @param others     every other live id
 * @param duplicates ids found on more than one live document
 */
record ShardContents(int docs, BitSet numbered, TreeSet<String> others, List<String> duplicates) {

    static ShardContents read(Path shard) throws IOException {
        BitSet numbered = new BitSet();
        TreeSet<String> others = new TreeSet<>();
        List<String> duplicates = new ArrayList<>();
        try (Directory dir = FSDirectory.open(shard); DirectoryReader reader = DirectoryReader.open(dir)) {
            for (LeafReaderContext leaf : reader.leaves()) {
                SortedDocValues ids = leaf.reader().getSortedDocValues(Schema.ID.field());
                Bits live = leaf.reader().getLiveDocs();
                if (ids == null) {
                    continue;
                }
                for (int doc = ids.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = ids.nextDoc()) {
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    String id = ids.lookupOrd(ids.ordValue()).utf8ToString();
                    boolean fresh;
                    if (id.matches("r\\d{1,9}")) {
                        int n = Integer.parseInt(id.substring(1));
                        fresh = !numbered.get(n);
                        numbered.set(n);
                    } else {
                        fresh = others.add(id);
                    }
                    if (!fresh) {
                        duplicates.add(id);
                    }
                }
            }
            return new ShardContents(reader.numDocs(), numbered, others, duplicates);
        }
    }

    /** Ids {@code r<n>} for every {@code n} in {@code expected} that the shard does not hold. */
    List<String> missing(BitSet expected) {
        BitSet missing = (BitSet) expected.clone();
        missing.andNot(numbered);
        return missing.stream().mapToObj(n -> "r" + n).toList();
    }

    /** {@code r0 .. r<n-1>} */
    static BitSet range(long n) {
        BitSet b = new BitSet();
        b.set(0, Math.toIntExact(n));
        return b;
    }

    /** Lucene's own verdict on every segment of the shard's last commit. */
    static void assertCheckIndexClean(Path shard) throws IOException {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Directory dir = FSDirectory.open(shard); CheckIndex check = new CheckIndex(dir)) {
            check.setInfoStream(new PrintStream(log, true, StandardCharsets.UTF_8));
            assertThat(check.checkIndex().clean).as(log.toString(StandardCharsets.UTF_8)).isTrue();
        }
    }

    /** What the shard occupies on disk now: every file in its directory. */
    static long bytesOnDisk(Path shard) throws IOException {
        try (Stream<Path> files = Files.list(shard)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException gone) {
                    return 0; // deleted by the writer between list and stat
                }
            }).sum();
        }
    }
}
