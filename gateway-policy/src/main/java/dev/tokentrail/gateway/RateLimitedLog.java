package dev.tokentrail.gateway;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * At most one warning per period, with a count of what was suppressed meanwhile: a capture bug
 * hit by every request must not flood the gateway's log (or slow it down by logging).
 */
final class RateLimitedLog {

    private final Logger log;
    private final long periodNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    RateLimitedLog(Logger log, Duration period) {
        this.log = log;
        this.periodNanos = period.toNanos();
    }

    void warn(String message, Throwable t) {
        long now = System.nanoTime();
        long due = next.get();
        if ((due == Long.MIN_VALUE || now - due >= 0) && next.compareAndSet(due, now + periodNanos)) {
            long skipped = suppressed.getAndSet(0);
            if (skipped > 0) {
                log.warn("{} ({} similar failures suppressed since the last report)", message, skipped, t);
            } else {
                log.warn(message, t);
            }
        } else {
            suppressed.incrementAndGet();
        }
    }
}
