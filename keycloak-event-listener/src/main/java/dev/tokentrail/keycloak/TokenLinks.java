package dev.tokentrail.keycloak;

import dev.tokentrail.index.model.TokenEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers, per recent token id, the user and session of the event that named it, so that an
 * event Keycloak sends without them (a REVOKE_GRANT of an access token, a REFRESH_TOKEN_ERROR)
 * is stored already linked to its user and session. Bounded (oldest forgotten first) and per
 * node: the reader still links through the token ids when this memory has no answer.
 */
final class TokenLinks {

    record Owner(String userId, String sessionId) {
    }

    private final Map<String, Owner> owners;

    TokenLinks(int capacity) {
        this.owners = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Owner> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The event, with user and session filled from an earlier event naming one of its tokens. */
    TokenEvent link(TokenEvent e) {
        var ids = e.tokenIds();
        if (ids.isEmpty()) {
            return e;
        }
        synchronized (owners) {
            if (e.userId() != null || e.sessionId() != null) {
                Owner o = new Owner(e.userId(), e.sessionId());
                ids.forEach(id -> owners.merge(id, o, (old, now) -> new Owner(
                        now.userId() != null ? now.userId() : old.userId(),
                        now.sessionId() != null ? now.sessionId() : old.sessionId())));
            }
            if (e.userId() != null && e.sessionId() != null) {
                return e;
            }
            for (String id : ids) {
                Owner o = owners.get(id);
                if (o != null && (e.userId() == null && o.userId() != null
                        || e.sessionId() == null && o.sessionId() != null)) {
                    var details = new LinkedHashMap<>(e.details());
                    details.put("linked_by", "token id " + id + " seen earlier on this node");
                    return new TokenEvent(e.id(), e.time(), e.type(), e.eventName(), e.realm(), e.clientId(),
                            e.userId() != null ? e.userId() : o.userId(),
                            e.sessionId() != null ? e.sessionId() : o.sessionId(), e.ip(), e.accessTokenId(),
                            e.refreshTokenId(), e.newRefreshTokenId(), e.error(), details, e.actor(), e.node());
                }
            }
        }
        return e;
    }

    int size() {
        synchronized (owners) {
            return owners.size();
        }
    }
}
