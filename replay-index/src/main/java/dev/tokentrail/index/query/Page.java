package dev.tokentrail.index.query;

import java.util.List;

/**
 * One page of results in time order.
 *
 * @param items      at most the requested page size
 * @param nextCursor opaque cursor for the next page, or null when this is the last one
 * @param totalHits  matching records (may be a lower bound, see {@code totalExact})
 * @param totalExact whether {@code totalHits} is exact
 */
public record Page<T>(List<T> items, String nextCursor, long totalHits, boolean totalExact) {
    public Page {
        items = List.copyOf(items);
    }

    public boolean hasNext() {
        return nextCursor != null;
    }
}
