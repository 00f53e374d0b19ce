package dev.tokentrail.gateway;

import io.gravitee.gateway.api.buffer.Buffer;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Watches one body go by, chunk by chunk: copies at most {@code limit} bytes of it and counts the
 * rest. The chunks themselves are passed on untouched; the whole body is never held.
 *
 * <p>Not thread-safe: a body's chunks arrive in order on the request's event loop.
 */
final class BodyTap {

    private static final int INITIAL = 1024;

    private final int limit;
    private byte[] prefix;
    private int captured;
    private long total;

    /** @param limit bytes to keep; 0 keeps nothing and only counts */
    BodyTap(int limit) {
        this.limit = limit;
    }

    void accept(Buffer chunk) {
        int n = chunk.length();
        total += n;
        int room = limit - captured;
        if (room <= 0 || n == 0) {
            return;
        }
        int take = Math.min(room, n);
        ensure(captured + take);
        ByteBuf nat = chunk.getNativeBuffer();
        if (nat != null) {
            // Absolute get: leaves the buffer's reader index alone for whoever reads it next.
            nat.getBytes(nat.readerIndex(), prefix, captured, take);
        } else {
            System.arraycopy(chunk.getBytes(), 0, prefix, captured, take);
        }
        captured += take;
    }

    private void ensure(int size) {
        if (prefix == null) {
            prefix = new byte[Math.min(limit, Math.max(INITIAL, size))];
        } else if (prefix.length < size) {
            prefix = Arrays.copyOf(prefix, Math.min(limit, Math.max(size, prefix.length * 2)));
        }
    }

    byte[] prefix() {
        return prefix == null ? new byte[0] : prefix;
    }

    int captured() {
        return captured;
    }

    long total() {
        return total;
    }
}
