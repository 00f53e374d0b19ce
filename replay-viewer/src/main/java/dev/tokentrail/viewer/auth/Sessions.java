package dev.tokentrail.viewer.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side sessions in memory: a restart logs everyone out, which is what a forensic tool
 * should do. Ids are 256-bit random values; the map is bounded so a flood of logins cannot
 * exhaust the heap.
 */
final class Sessions {

    static final int MAX_SESSIONS = 10_000;

    private record Session(Principal principal, Instant expires) {
    }

    private final ConcurrentHashMap<String, Session> byId = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    Sessions(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A new session id for this principal. */
    String create(Principal p) {
        if (byId.size() >= MAX_SESSIONS) {
            purge();
            if (byId.size() >= MAX_SESSIONS) {
                throw new IllegalStateException("too many open sessions; try again later");
            }
        }
        String id = Secrets.random(32);
        byId.put(id, new Session(p, clock.instant().plus(ttl)));
        return id;
    }

    Optional<Principal> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Session s = byId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(s.expires())) {
            byId.remove(id);
            return Optional.empty();
        }
        return Optional.of(s.principal());
    }

    void remove(String id) {
        if (id != null) {
            byId.remove(id);
        }
    }

    int size() {
        purge();
        return byId.size();
    }

    Duration ttl() {
        return ttl;
    }

    private void purge() {
        Instant now = clock.instant();
        byId.values().removeIf(s -> !now.isBefore(s.expires()));
    }
}
