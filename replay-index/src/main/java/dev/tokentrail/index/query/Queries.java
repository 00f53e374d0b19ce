package dev.tokentrail.index.query;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.store.RecordCodec;
import dev.tokentrail.index.store.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;

/** Query building, time-ordered paging and record loading. */
final class Queries {

    /** Free-text queries use at most this many terms. */
    private static final int MAX_TEXT_TERMS = 32;
    private static final Set<String> PAYLOAD = Set.of(Schema.PAYLOAD.field());

    private final Analyzer analyzer = new StandardAnalyzer();

    /**
     * One page in time order. The cursor carries the last (time, id) seen, so paging stays correct
     * while writers add records between pages.
     */
    Page<ReplayRecord> page(IndexSearcher searcher, Query q, PageRequest page, boolean newestFirst) throws IOException {
        Sort sort = new Sort(new SortField(Schema.TIME.field(), SortField.Type.LONG, newestFirst),
                new SortField(Schema.ID.field(), SortField.Type.STRING, newestFirst));
        FieldDoc after = decodeCursor(page.cursor(), searcher.getIndexReader().maxDoc());
        TopDocs top = searcher.searchAfter(after, q, page.size() + 1, sort);
        List<ReplayRecord> items = new ArrayList<>(Math.min(page.size(), top.scoreDocs.length));
        ScoreDoc[] docs = top.scoreDocs;
        int n = Math.min(page.size(), docs.length);
        for (int i = 0; i < n; i++) {
            items.add(load(searcher, docs[i].doc));
        }
        String next = docs.length > page.size() ? encodeCursor((FieldDoc) docs[n - 1]) : null;
        boolean exact = top.totalHits.relation() == org.apache.lucene.search.TotalHits.Relation.EQUAL_TO;
        return new Page<>(items, next, top.totalHits.value(), exact);
    }

    ReplayRecord load(IndexSearcher searcher, int doc) throws IOException {
        Document d = searcher.storedFields().document(doc, PAYLOAD);
        BytesRef payload = d.getBinaryValue(Schema.PAYLOAD.field());
        if (payload == null) {
            throw new IllegalStateException("document " + doc + " has no payload");
        }
        return RecordCodec.fromPayload(payload.bytes, payload.offset, payload.length);
    }

    Query timeRange(Query q, Instant from, Instant to) {
        if (from == null && to == null) {
            return q;
        }
        long lo = from == null ? Long.MIN_VALUE : Schema.micros(from);
        long hi = to == null ? Long.MAX_VALUE : Schema.micros(to);
        return new BooleanQuery.Builder().add(q, Occur.MUST)
                .add(LongPoint.newRangeQuery(Schema.TIME.field(), lo, hi), Occur.FILTER).build();
    }

    Query search(SearchQuery s, IndexSearcher searcher, Fingerprinter fingerprinter) throws IOException {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        String text = s.text() == null ? "" : s.text().strip();
        if (!text.isEmpty()) {
            b.add(textOrKey(text, searcher, fingerprinter), Occur.MUST);
        }
        for (Map.Entry<String, String> f : s.filters().entrySet()) {
            b.add(filter(f.getKey(), f.getValue()), Occur.FILTER);
        }
        if (s.from() != null || s.to() != null) {
            long lo = s.from() == null ? Long.MIN_VALUE : Schema.micros(s.from());
            long hi = s.to() == null ? Long.MAX_VALUE : Schema.micros(s.to()) - 1;
            b.add(LongPoint.newRangeQuery(Schema.TIME.field(), lo, hi), Occur.FILTER);
        }
        if (!s.filters().containsKey(Schema.KIND.field())) {
            // Who-looked-at-what stays out of investigations unless asked for.
            b.add(new TermQuery(new Term(Schema.KIND.field(), "audit")), Occur.MUST_NOT);
        }
        b.add(new MatchAllDocsQuery(), Occur.FILTER);
        return b.build();
    }

    /** Either an exact key (token, id, session, user, client, IP, request id) or all words of the text. */
    private Query textOrKey(String text, IndexSearcher searcher, Fingerprinter fingerprinter) throws IOException {
        BooleanQuery.Builder either = new BooleanQuery.Builder();
        Links links = Links.resolve(text, searcher, fingerprinter);
        if (!links.isEmpty()) {
            either.add(links.query(), Occur.SHOULD);
        }
        either.add(new TermQuery(new Term(Schema.ID.field(), text)), Occur.SHOULD);
        either.add(new TermQuery(new Term(Schema.TRANSACTION_ID.field(), text)), Occur.SHOULD);
        either.add(new TermQuery(new Term(Schema.PATH.field(), text)), Occur.SHOULD);
        List<String> terms = analyze(text);
        if (!terms.isEmpty()) {
            BooleanQuery.Builder all = new BooleanQuery.Builder();
            terms.forEach(t -> all.add(new TermQuery(new Term(Schema.TEXT.field(), t)), Occur.MUST));
            either.add(all.build(), Occur.SHOULD);
        }
        return either.build();
    }

    private List<String> analyze(String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(Schema.TEXT.field(), text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken() && out.size() < MAX_TEXT_TERMS) {
                out.add(term.toString());
            }
            ts.end();
        }
        return out;
    }

    /** {@code field=value}; numeric fields take a value or an inclusive range {@code lo..hi}. */
    static Query filter(String field, String value) {
        Schema f = Schema.byField(field);
        if (f == null || f == Schema.PAYLOAD || f == Schema.TEXT || f == Schema.TIME) {
            throw new IllegalArgumentException("cannot filter on '" + field + "'; filterable fields: "
                    + java.util.Arrays.stream(Schema.values())
                    .filter(x -> x != Schema.PAYLOAD && x != Schema.TEXT && x != Schema.TIME)
                    .map(Schema::field).toList());
        }
        if (value == null) {
            throw new IllegalArgumentException("filter '" + field + "' needs a value");
        }
        return switch (f.type()) {
            case INT -> {
                long[] r = range(field, value);
                yield IntPoint.newRangeQuery(f.field(), (int) Math.max(Integer.MIN_VALUE, r[0]),
                        (int) Math.min(Integer.MAX_VALUE, r[1]));
            }
            case LONG -> {
                long[] r = range(field, value);
                yield LongPoint.newRangeQuery(f.field(), r[0], r[1]);
            }
            default -> new TermQuery(new Term(f.field(), value));
        };
    }

    private static long[] range(String field, String value) {
        try {
            int dots = value.indexOf("..");
            if (dots < 0) {
                long v = Long.parseLong(value.strip());
                return new long[] {v, v};
            }
            String lo = value.substring(0, dots).strip();
            String hi = value.substring(dots + 2).strip();
            return new long[] {lo.isEmpty() ? Long.MIN_VALUE : Long.parseLong(lo),
                    hi.isEmpty() ? Long.MAX_VALUE : Long.parseLong(hi)};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("filter '" + field + "' takes a number or a range lo..hi, not '"
                    + value + "'");
        }
    }

    static String encodeCursor(FieldDoc last) {
        long time = (Long) last.fields[0];
        BytesRef id = (BytesRef) last.fields[1];
        String s = time + ":" + (id == null ? "" : id.utf8ToString());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static FieldDoc decodeCursor(String cursor, int maxDoc) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = s.indexOf(':');
            long time = Long.parseLong(s.substring(0, colon));
            BytesRef id = new BytesRef(s.substring(colon + 1));
            // (time, id) names one record; the highest doc id makes the record itself (and any
            // duplicate of it) sort before the cursor, whatever doc id it has in this snapshot.
            return new FieldDoc(Math.max(0, maxDoc - 1), Float.NaN, new Object[] {time, id});
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid page cursor", e);
        }
    }
}
