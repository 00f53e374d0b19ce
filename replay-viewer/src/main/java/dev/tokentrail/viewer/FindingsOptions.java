package dev.tokentrail.viewer;

import dev.tokentrail.index.findings.FindingsConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the viewer runs the findings rules while the shards grow, and where it reports them.
 *
 * @param enabled          run the incremental task at all (on-demand evaluation works either way)
 * @param rules            thresholds and windows of the rules (replay-index's {@link FindingsConfig})
 * @param interval         how often newly committed records are evaluated
 * @param lag              records are evaluated only once they are this old: the IdP and gateway
 *                         shards commit independently (every second or so, later under load), and
 *                         the rules need both sides in time order
 * @param webhook          where each new finding is POSTed as JSON; null for none
 * @param webhookQueue     findings waiting for the webhook; beyond this new ones are dropped and counted
 * @param webhookAttempts  tries per finding before it is given up (counted as failed)
 * @param webhookBackoff   wait before the first retry; doubled each time, at most 5 minutes
 */
public record FindingsOptions(boolean enabled, FindingsConfig rules, Duration interval, Duration lag, URI webhook,
                              int webhookQueue, int webhookAttempts, Duration webhookBackoff) {

    public static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    public FindingsOptions {
        rules = rules == null ? FindingsConfig.defaults() : rules;
        interval = interval == null ? Duration.ofSeconds(5) : interval;
        lag = lag == null ? Duration.ofSeconds(20) : lag;
        webhookQueue = webhookQueue == 0 ? 1_000 : webhookQueue;
        webhookAttempts = webhookAttempts == 0 ? 6 : webhookAttempts;
        webhookBackoff = webhookBackoff == null ? Duration.ofSeconds(1) : webhookBackoff;
        if (interval.toMillis() < 50) {
            throw new IllegalArgumentException("findings interval must be at least 50 ms, was " + interval);
        }
        if (lag.isNegative()) {
            throw new IllegalArgumentException("findings lag must not be negative, was " + lag);
        }
        if (webhookQueue < 1 || webhookAttempts < 1) {
            throw new IllegalArgumentException("webhook queue and attempts must be at least 1");
        }
        if (webhookBackoff.isNegative() || webhookBackoff.compareTo(MAX_BACKOFF) > 0) {
            throw new IllegalArgumentException("webhook backoff must be PT0S..PT5M, was " + webhookBackoff);
        }
        if (webhook != null) {
            String scheme = Objects.requireNonNullElse(webhook.getScheme(), "");
            if (!scheme.equals("http") && !scheme.equals("https") || webhook.getHost() == null) {
                throw new IllegalArgumentException("webhook must be an http(s) URL, was " + webhook);
            }
        }
    }

    public static FindingsOptions defaults() {
        return new FindingsOptions(true, null, null, null, null, 0, 0, null);
    }

    public FindingsOptions withRules(FindingsConfig r) {
        return new FindingsOptions(enabled, r, interval, lag, webhook, webhookQueue, webhookAttempts, webhookBackoff);
    }

    public FindingsOptions withTiming(Duration i, Duration l) {
        return new FindingsOptions(enabled, rules, i, l, webhook, webhookQueue, webhookAttempts, webhookBackoff);
    }

    public FindingsOptions withWebhook(URI url, int queue, int attempts, Duration backoff) {
        return new FindingsOptions(enabled, rules, interval, lag, url, queue, attempts, backoff);
    }
}
