package dev.tokentrail.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * Everything a Lucene shard holds, decoded: every stored field of every document (decompressed),
 * every term of every indexed field and every sorted doc value, of every kind of record (events,
 * exchanges, findings, audit). A raw-byte scan of the files cannot see through the stored fields'
 * compression or the term dictionary's prefix sharing; this can.
 *
 * <p>The test reads Lucene itself on purpose: it checks the shards, not what the reader chooses to
 * return.
 */
final class ShardContents {

    /** What was decoded and which secrets were found where ({@code "<name> in <shard> <where>"}). */
    record Result(int shards, long documents, long terms, List<String> leaks) {
    }

    private ShardContents() {
    }

    static Result scan(Path root, Map<String, String> secrets) throws IOException {
        List<Path> shards;
        try (Stream<Path> dirs = Files.list(root)) {
            shards = dirs.filter(d -> Files.isRegularFile(d.resolve("write.lock")) || hasSegments(d)).sorted().toList();
        }
        List<Needle> needles = needles(secrets);
        List<String> leaks = new ArrayList<>();
        long docs = 0;
        long terms = 0;
        for (Path shard : shards) {
            String name = root.relativize(shard).toString();
            try (FSDirectory dir = FSDirectory.open(shard); DirectoryReader reader = DirectoryReader.open(dir)) {
                for (LeafReaderContext ctx : reader.leaves()) {
                    LeafReader leaf = ctx.reader();
                    StoredFields stored = leaf.storedFields();
                    for (int d = 0; d < leaf.maxDoc(); d++) {
                        StringBuilder doc = new StringBuilder();
                        stored.document(d, new Collect(doc));
                        check(needles, doc, name + " stored fields", leaks);
                        docs++;
                    }
                    for (FieldInfo field : leaf.getFieldInfos()) {
                        Terms t = leaf.terms(field.name);
                        if (t != null) {
                            StringBuilder all = new StringBuilder();
                            TermsEnum e = t.iterator();
                            for (BytesRef term = e.next(); term != null; term = e.next()) {
                                all.append(term.utf8ToString()).append('\n');
                                terms++;
                            }
                            check(needles, all, name + " terms of " + field.name, leaks);
                        }
                        StringBuilder values = new StringBuilder();
                        switch (field.getDocValuesType()) {
                            case SORTED -> {
                                SortedDocValues v = leaf.getSortedDocValues(field.name);
                                for (int o = 0; o < v.getValueCount(); o++) {
                                    values.append(v.lookupOrd(o).utf8ToString()).append('\n');
                                }
                            }
                            case SORTED_SET -> {
                                SortedSetDocValues v = leaf.getSortedSetDocValues(field.name);
                                for (long o = 0; o < v.getValueCount(); o++) {
                                    values.append(v.lookupOrd(o).utf8ToString()).append('\n');
                                }
                            }
                            default -> {
                                // numeric doc values hold numbers only
                            }
                        }
                        check(needles, values, name + " doc values of " + field.name, leaks);
                    }
                }
            }
        }
        return new Result(shards.size(), docs, terms, leaks);
    }

    private static boolean hasSegments(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("segments_"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A secret and the pieces an analyzer could have cut it into: full text is lower-cased and split
     * at punctuation, so a signature may be stored as several terms. Pieces shorter than 12
     * characters could match by chance and are left out; the whole value is always searched.
     */
    private record Needle(String what, List<String> forms) {
    }

    private static List<Needle> needles(Map<String, String> secrets) {
        List<Needle> out = new ArrayList<>();
        secrets.forEach((what, value) -> {
            List<String> forms = new ArrayList<>();
            forms.add(value.toLowerCase(Locale.ROOT));
            for (String piece : value.split("[^A-Za-z0-9]+")) {
                if (piece.length() >= 12 && !piece.equals(value)) {
                    forms.add(piece.toLowerCase(Locale.ROOT));
                }
            }
            out.add(new Needle(what, forms));
        });
        return out;
    }

    private static void check(List<Needle> needles, CharSequence content, String where, List<String> leaks) {
        String hay = content.toString().toLowerCase(Locale.ROOT);
        for (Needle n : needles) {
            for (String form : n.forms()) {
                if (hay.contains(form)) {
                    leaks.add(n.what() + (form.length() == n.forms().get(0).length() ? "" : " (a piece: " + form + ")")
                            + " in " + where);
                    break;
                }
            }
        }
    }

    /** Appends every stored value of a document as text, binary values as UTF-8 and as Latin-1. */
    private static final class Collect extends StoredFieldVisitor {
        private final StringBuilder out;

        Collect(StringBuilder out) {
            this.out = out;
        }

        @Override
        public Status needsField(FieldInfo fieldInfo) {
            return Status.YES;
        }

        @Override
        public void stringField(FieldInfo fieldInfo, String value) {
            out.append(value).append('\n');
        }

        @Override
        public void binaryField(FieldInfo fieldInfo, byte[] value) {
            out.append(new String(value, java.nio.charset.StandardCharsets.UTF_8)).append('\n')
                    .append(new String(value, java.nio.charset.StandardCharsets.ISO_8859_1)).append('\n');
        }

        @Override
        public void intField(FieldInfo fieldInfo, int value) {
            out.append(value).append('\n');
        }

        @Override
        public void longField(FieldInfo fieldInfo, long value) {
            out.append(value).append('\n');
        }
    }
}
