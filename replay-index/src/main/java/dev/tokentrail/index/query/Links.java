package dev.tokentrail.index.query;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.store.Schema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.util.BytesRef;

/**
 * Resolves a timeline key into the set of links it stands for, following IdP events: a token id
 * leads to its issuing event, which names its session and refresh token; the session leads to
 * every refresh, revocation and logout of it. Bounded in rounds, links and documents visited.
 */
final class Links {

    static final int MAX_ROUNDS = 12;
    static final int MAX_LINKS = 4_096;
    static final int MAX_EVENTS_VISITED = 50_000;

    private final Timeline.KeyKind kind;
    private final String displayKey;
    private final Set<String> links;
    private final Query anchor;

    private Links(Timeline.KeyKind kind, String displayKey, Set<String> links, Query anchor) {
        this.kind = kind;
        this.displayKey = displayKey;
        this.links = links;
        this.anchor = anchor;
    }

    /** The display key of a token timeline: {@code fingerprint:<fp>}. Accepted back as a key. */
    static final String FINGERPRINT_PREFIX = "fingerprint:";

    static Links resolve(String key, IndexSearcher searcher, Fingerprinter fingerprinter) throws IOException {
        Set<String> seeds = new LinkedHashSet<>();
        if (key.startsWith(FINGERPRINT_PREFIX)) {
            return byFingerprint(key.substring(FINGERPRINT_PREFIX.length()), searcher);
        }
        if (exists(searcher, Schema.LINK, "t:" + key)) {
            seeds.add("t:" + key);
            return closed(Timeline.KeyKind.TOKEN_ID, key, seeds, null, searcher);
        }
        if (exists(searcher, Schema.LINK, "s:" + key)) {
            seeds.add("s:" + key);
            return closed(Timeline.KeyKind.SESSION, key, seeds, null, searcher);
        }
        if (looksLikeToken(key)) {
            TokenIdentity id = TokenIdentity.of(key, fingerprinter);
            if (id != null) {
                // Never echo a raw token back: the timeline is named by its fingerprint, and found
                // through the exact bytes first. Only a token no exchange ever presented falls back to
                // the ids it claims (a token fresh from the identity provider), named by that id so a
                // reload gives the same answer; an unsigned token's claims are never followed.
                if (exists(searcher, Schema.FINGERPRINT, id.fingerprint()) || id.unsigned() || id.jti() == null) {
                    return byFingerprint(id.fingerprint(), searcher);
                }
                seeds.add("t:" + id.jti());
                return closed(Timeline.KeyKind.TOKEN_ID, id.jti(), seeds, null, searcher);
            }
        }
        if (exists(searcher, Schema.USER, key)) {
            Query user = new TermQuery(new Term(Schema.USER.field(), key));
            collect(searcher, eventsMatching(user), seeds, new int[] {0});
            return closed(Timeline.KeyKind.USER, key, seeds, user, searcher);
        }
        if (exists(searcher, Schema.CLIENT, key)) {
            return new Links(Timeline.KeyKind.CLIENT, key, Set.of(),
                    new TermQuery(new Term(Schema.CLIENT.field(), key)));
        }
        if (exists(searcher, Schema.IP, key)) {
            return new Links(Timeline.KeyKind.IP, key, Set.of(), new TermQuery(new Term(Schema.IP.field(), key)));
        }
        if (exists(searcher, Schema.FINGERPRINT, key)) {
            return byFingerprint(key, searcher);
        }
        return new Links(Timeline.KeyKind.UNKNOWN, looksLikeToken(key) ? "(unknown token)" : key, Set.of(), null);
    }

    /**
     * The trail of the exact token with this fingerprint: its exchanges, and through those that vouch
     * for its claims ({@code Exchange#vouches}) its token id and session, then the IdP's links.
     */
    private static Links byFingerprint(String fp, IndexSearcher searcher) throws IOException {
        Set<String> seeds = new LinkedHashSet<>();
        seeds.add("f:" + fp);
        collect(searcher, new TermQuery(new Term(Schema.FINGERPRINT.field(), fp)), seeds,
                new int[] {MAX_EVENTS_VISITED - MAX_EXCHANGES_SAMPLED});
        return closed(Timeline.KeyKind.TOKEN, FINGERPRINT_PREFIX + fp, seeds, null, searcher);
    }

    /** Exchanges read per timeline to learn the fingerprints behind its token ids. */
    static final int MAX_EXCHANGES_SAMPLED = 4_096;

    /** Follows links through IdP events until nothing new appears, within bounds. */
    private static Links closed(Timeline.KeyKind kind, String displayKey, Set<String> seeds, Query anchor,
                                IndexSearcher searcher) throws IOException {
        Set<String> all = new LinkedHashSet<>(seeds);
        Set<String> frontier = new LinkedHashSet<>(seeds);
        int[] visited = {0};
        for (int round = 0; round < MAX_ROUNDS && !frontier.isEmpty() && all.size() < MAX_LINKS; round++) {
            Set<String> found = new LinkedHashSet<>();
            collect(searcher, eventsMatching(linkQuery(frontier)), found, visited);
            found.removeAll(all);
            for (String f : found) {
                if (all.size() >= MAX_LINKS) {
                    break;
                }
                all.add(f);
            }
            frontier = found;
            if (visited[0] >= MAX_EVENTS_VISITED) {
                break;
            }
        }
        // The exact tokens behind those ids: exchanges that vouched for an id name its fingerprint,
        // which brings in the same token's exchanges that could not vouch (refused with 401).
        Set<String> tokenLinks = new LinkedHashSet<>();
        all.stream().filter(l -> l.startsWith("t:")).forEach(tokenLinks::add);
        if (!tokenLinks.isEmpty() && all.size() < MAX_LINKS) {
            Set<String> found = new LinkedHashSet<>();
            Query exchanges = new BooleanQuery.Builder()
                    .add(linkQuery(tokenLinks), Occur.FILTER)
                    .add(new TermQuery(new Term(Schema.KIND.field(), "exchange")), Occur.FILTER)
                    .build();
            collect(searcher, exchanges, found, new int[] {MAX_EVENTS_VISITED - MAX_EXCHANGES_SAMPLED});
            for (String f : found) {
                if (f.startsWith("f:") && all.size() < MAX_LINKS) {
                    all.add(f);
                }
            }
        }
        return new Links(kind, displayKey, all, anchor);
    }

    private static Query eventsMatching(Query q) {
        return new BooleanQuery.Builder()
                .add(q, Occur.FILTER)
                .add(new TermQuery(new Term(Schema.KIND.field(), "event")), Occur.FILTER)
                .build();
    }

    /** Adds the link values of every document matching {@code q} (read from doc values). */
    private static void collect(IndexSearcher searcher, Query q, Set<String> out, int[] visited) throws IOException {
        Weight w = searcher.createWeight(searcher.rewrite(q), ScoreMode.COMPLETE_NO_SCORES, 1f);
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Scorer scorer = w.scorer(leaf);
            if (scorer == null) {
                continue;
            }
            SortedSetDocValues dv = leaf.reader().getSortedSetDocValues(Schema.LINK.field());
            if (dv == null) {
                continue;
            }
            DocIdSetIterator it = scorer.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                if (++visited[0] > MAX_EVENTS_VISITED || out.size() >= MAX_LINKS) {
                    return;
                }
                if (dv.advanceExact(doc)) {
                    for (int i = 0; i < dv.docValueCount(); i++) {
                        out.add(dv.lookupOrd(dv.nextOrd()).utf8ToString());
                    }
                }
            }
        }
    }

    static Query linkQuery(Set<String> values) {
        List<BytesRef> terms = new ArrayList<>(values.size());
        values.forEach(v -> terms.add(new BytesRef(v)));
        return new TermInSetQuery(Schema.LINK.field(), terms);
    }

    private static boolean exists(IndexSearcher searcher, Schema field, String value) throws IOException {
        return searcher.getIndexReader().docFreq(new Term(field.field(), value)) > 0;
    }

    /** Bearer values are long and have no spaces; ids, users and IPs are usually shorter. */
    static boolean looksLikeToken(String key) {
        return key.length() >= 20 && key.indexOf(' ') < 0;
    }

    boolean isEmpty() {
        return links.isEmpty() && anchor == null;
    }

    /** Records linked to the key: any of the links, or the anchor (user, client, IP). */
    Query query() {
        if (anchor == null) {
            return links.isEmpty() ? new MatchNoDocsQuery() : linkQuery(links);
        }
        if (links.isEmpty()) {
            return anchor;
        }
        return new BooleanQuery.Builder().add(anchor, Occur.SHOULD).add(linkQuery(links), Occur.SHOULD).build();
    }

    Timeline.KeyKind kind() {
        return kind;
    }

    String displayKey() {
        return displayKey;
    }

    Set<String> tokenIds() {
        return strip("t:");
    }

    Set<String> sessionIds() {
        return strip("s:");
    }

    private Set<String> strip(String prefix) {
        Set<String> out = new LinkedHashSet<>();
        links.stream().filter(l -> l.startsWith(prefix)).forEach(l -> out.add(l.substring(prefix.length())));
        return out;
    }
}
