package dev.tokentrail.index.query;

/**
 * Which page to fetch.
 *
 * @param size   records per page, 1..{@link #MAX_SIZE}
 * @param cursor a {@link Page#nextCursor()} or null for the first page
 */
public record PageRequest(int size, String cursor) {

    public static final int MAX_SIZE = 1_000;
    public static final int DEFAULT_SIZE = 100;

    public PageRequest {
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("page size must be 1.." + MAX_SIZE + ", was " + size);
        }
    }

    public static PageRequest first(int size) {
        return new PageRequest(size, null);
    }

    public static PageRequest first() {
        return new PageRequest(DEFAULT_SIZE, null);
    }

    public PageRequest next(Page<?> page) {
        return new PageRequest(size, page.nextCursor());
    }
}
