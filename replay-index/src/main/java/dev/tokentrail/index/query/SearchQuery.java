package dev.tokentrail.index.query;

import java.time.Instant;
import java.util.Map;

/**
 * A search over every shard.
 *
 * @param text    free text (all words must match path, query, bodies, user agent, details) and/or a
 *                key (token, jti, sid, user, client, IP) matched exactly; null or blank for none
 * @param filters exact field filters by {@link dev.tokentrail.index.store.Schema} field name,
 *                e.g. {@code status=401}, {@code kind=event}, {@code api=orders}
 * @param from    inclusive lower time bound, or null
 * @param to      exclusive upper time bound, or null
 * @param newestFirst order of results
 */
public record SearchQuery(String text, Map<String, String> filters, Instant from, Instant to, boolean newestFirst) {
    public SearchQuery {
        filters = filters == null ? Map.of() : Map.copyOf(filters);
    }

    public static SearchQuery text(String text) {
        return new SearchQuery(text, Map.of(), null, null, true);
    }
}
