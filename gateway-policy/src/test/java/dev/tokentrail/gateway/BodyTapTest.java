package dev.tokentrail.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.gravitee.gateway.api.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BodyTapTest {

    @Test
    void keeps_the_prefix_across_chunks_and_counts_every_byte() {
        BodyTap tap = new BodyTap(10);
        Buffer a = Buffer.buffer("hello ");
        Buffer b = Buffer.buffer("world, and more");
        tap.accept(a);
        tap.accept(b);
        assertThat(tap.total()).isEqualTo(21);
        assertThat(tap.captured()).isEqualTo(10);
        assertThat(new String(tap.prefix(), 0, tap.captured(), StandardCharsets.UTF_8)).isEqualTo("hello worl");
        // the chunks themselves are untouched for whoever reads them next
        assertThat(a.toString()).isEqualTo("hello ");
        assertThat(b.toString()).isEqualTo("world, and more");
    }

    @Test
    void a_zero_limit_only_counts() {
        BodyTap tap = new BodyTap(0);
        byte[] big = new byte[1 << 20];
        Arrays.fill(big, (byte) 'x');
        tap.accept(Buffer.buffer(big));
        assertThat(tap.total()).isEqualTo(1 << 20);
        assertThat(tap.captured()).isZero();
        assertThat(tap.prefix()).isEmpty();
    }

    @Test
    void grows_no_larger_than_the_limit() {
        BodyTap tap = new BodyTap(5000);
        for (int i = 0; i < 100; i++) {
            tap.accept(Buffer.buffer(new byte[100]));
        }
        assertThat(tap.captured()).isEqualTo(5000);
        assertThat(tap.prefix().length).isEqualTo(5000);
        assertThat(tap.total()).isEqualTo(10_000);
    }
}
