package dev.tokentrail.viewer;

import java.time.Duration;

/**
 * How the viewer follows shards while they grow.
 *
 * @param refreshInterval how often the reader looks for new commits and new shards (and the tail polls)
 * @param tailLag         how long after its own time a record may still become visible and be shown
 *                        live: writers commit every second or so and independently of each other, and
 *                        an exchange is written when its response ends, so a record can appear after
 *                        newer ones
 * @param tailMaxPerTick  records the live tail sends per poll at most; more new records than this in
 *                        one poll are counted and reported to the browser as skipped, never dropped
 *                        silently
 */
public record LiveConfig(Duration refreshInterval, Duration tailLag, int tailMaxPerTick) {

    public static final Duration DEFAULT_TAIL_LAG = Duration.ofSeconds(30);
    public static final int DEFAULT_TAIL_MAX_PER_TICK = 1_000;
    /** A browser has to render what it is sent: beyond this a poll is a flood, not a tail. */
    public static final int MAX_TAIL_MAX_PER_TICK = 10_000;

    public LiveConfig {
        refreshInterval = refreshInterval == null ? Duration.ofSeconds(1) : refreshInterval;
        tailLag = tailLag == null ? DEFAULT_TAIL_LAG : tailLag;
        tailMaxPerTick = tailMaxPerTick == 0 ? DEFAULT_TAIL_MAX_PER_TICK : tailMaxPerTick;
        if (refreshInterval.toMillis() < 50) {
            throw new IllegalArgumentException("refresh interval must be at least 50 ms, was " + refreshInterval);
        }
        if (tailLag.isNegative()) {
            throw new IllegalArgumentException("tail lag must not be negative, was " + tailLag);
        }
        if (tailMaxPerTick < 1 || tailMaxPerTick > MAX_TAIL_MAX_PER_TICK) {
            throw new IllegalArgumentException("--tail-max must be 1.." + MAX_TAIL_MAX_PER_TICK + ", was " + tailMaxPerTick);
        }
    }

    /** The default per-poll cap ({@value #DEFAULT_TAIL_MAX_PER_TICK}). */
    public LiveConfig(Duration refreshInterval, Duration tailLag) {
        this(refreshInterval, tailLag, 0);
    }

    public static LiveConfig defaults() {
        return new LiveConfig(null, null, 0);
    }
}
