package dev.tokentrail.viewer;

import java.time.Duration;

/**
 * How the viewer follows shards while they grow.
 *
 * @param refreshInterval how often the reader looks for new commits and new shards (and the tail polls)
 * @param tailLag         how far behind the newest record seen the tail looks again: writers commit
 *                        every second or so, so a record may become visible after newer ones
 */
public record LiveConfig(Duration refreshInterval, Duration tailLag) {

    public LiveConfig {
        refreshInterval = refreshInterval == null ? Duration.ofSeconds(1) : refreshInterval;
        tailLag = tailLag == null ? Duration.ofSeconds(30) : tailLag;
        if (refreshInterval.toMillis() < 50) {
            throw new IllegalArgumentException("refresh interval must be at least 50 ms, was " + refreshInterval);
        }
    }

    public static LiveConfig defaults() {
        return new LiveConfig(null, null);
    }
}
