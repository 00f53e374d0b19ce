package dev.tokentrail.index.findings;

import java.time.Duration;
import java.util.Set;

/**
 * Thresholds and windows. The defaults suit a typical API: a browser or mobile client making a
 * few requests per second at most, from one address at a time.
 *
 * @param expiryGrace          accepted use this long after {@code exp} is tolerated: exp has whole
 *                             seconds, clocks drift, a retry lands a moment late (default 5 s)
 * @param spreadWindow         window for TOKEN_SPREAD
 * @param spreadMaxPeers       distinct client addresses allowed per token in that window
 * @param spreadMaxAgents      distinct user agents allowed per token in that window
 * @param burstWindow          window for BURST
 * @param burstMaxRequests     requests allowed per token in that window
 * @param stormWindow          window for AUTH_FAILURE_STORM
 * @param stormMaxPerPeer      auth failures allowed from one address in that window
 * @param stormMaxPerUser      login errors allowed against one user in that window
 * @param refreshRetryWindow   a refresh presented twice within this time from the same address is a retry
 * @param trustedProxies       socket peers whose X-Forwarded-For is believed (exact addresses); none by default
 * @param watchedIssuers       issuers for UNKNOWN_TOKEN; empty: learn them from tokens the IdP was seen issuing
 * @param coverageMargin       UNKNOWN_TOKEN ignores tokens issued this close to the start of IdP recording
 * @param coverageGap          IdP events further apart than this leave a gap in which the IdP is not
 *                             taken to be recording (listener or shard down, events lost): UNKNOWN_TOKEN
 *                             is silent for tokens issued in a gap (default 10 min)
 * @param stateTtl             how long lifecycle state (ended sessions, revocations, issued ids) is kept
 * @param replayBefore         replay window start before a finding
 * @param replayAfter          replay window end after a finding
 */
public record FindingsConfig(Duration expiryGrace, Duration spreadWindow, int spreadMaxPeers, int spreadMaxAgents,
                             Duration burstWindow, int burstMaxRequests, Duration stormWindow, int stormMaxPerPeer,
                             int stormMaxPerUser, Duration refreshRetryWindow, Set<String> trustedProxies,
                             Set<String> watchedIssuers, Duration coverageMargin, Duration coverageGap,
                             Duration stateTtl, Duration replayBefore, Duration replayAfter) {

    public FindingsConfig {
        trustedProxies = trustedProxies == null ? Set.of() : Set.copyOf(trustedProxies);
        watchedIssuers = watchedIssuers == null ? Set.of() : Set.copyOf(watchedIssuers);
        if (coverageGap == null || coverageGap.isNegative() || coverageGap.isZero()) {
            throw new IllegalArgumentException("coverageGap must be positive");
        }
        if (spreadMaxPeers < 1 || spreadMaxAgents < 1 || burstMaxRequests < 1 || stormMaxPerPeer < 1
                || stormMaxPerUser < 1) {
            throw new IllegalArgumentException("finding thresholds must be at least 1");
        }
    }

    public static FindingsConfig defaults() {
        return new FindingsConfig(Duration.ofSeconds(5), Duration.ofMinutes(10), 3, 3, Duration.ofMinutes(1), 300,
                Duration.ofMinutes(1), 30, 10, Duration.ofSeconds(10), Set.of(), Set.of(), Duration.ofSeconds(5),
                Duration.ofMinutes(10), Duration.ofHours(24), Duration.ofMinutes(5), Duration.ofMinutes(5));
    }

    public FindingsConfig withTrustedProxies(Set<String> proxies) {
        return new FindingsConfig(expiryGrace, spreadWindow, spreadMaxPeers, spreadMaxAgents, burstWindow,
                burstMaxRequests, stormWindow, stormMaxPerPeer, stormMaxPerUser, refreshRetryWindow, proxies,
                watchedIssuers, coverageMargin, coverageGap, stateTtl, replayBefore, replayAfter);
    }

    public FindingsConfig withBurst(Duration window, int maxRequests) {
        return new FindingsConfig(expiryGrace, spreadWindow, spreadMaxPeers, spreadMaxAgents, window, maxRequests,
                stormWindow, stormMaxPerPeer, stormMaxPerUser, refreshRetryWindow, trustedProxies, watchedIssuers,
                coverageMargin, coverageGap, stateTtl, replayBefore, replayAfter);
    }

    public FindingsConfig withWatchedIssuers(Set<String> issuers) {
        return new FindingsConfig(expiryGrace, spreadWindow, spreadMaxPeers, spreadMaxAgents, burstWindow,
                burstMaxRequests, stormWindow, stormMaxPerPeer, stormMaxPerUser, refreshRetryWindow, trustedProxies,
                issuers, coverageMargin, coverageGap, stateTtl, replayBefore, replayAfter);
    }
}
