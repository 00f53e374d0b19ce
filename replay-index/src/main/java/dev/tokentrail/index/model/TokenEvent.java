package dev.tokentrail.index.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the identity provider did to a token or a session.
 *
 * @param id                 unique id of the event (the adapter makes one when the IdP has none)
 * @param time               when the IdP says it happened
 * @param type               normalized type
 * @param eventName          the provider's own name (LOGIN, REFRESH_TOKEN_ERROR, admin ACTION ...)
 * @param realm              realm or tenant
 * @param clientId           the client the event is about (the OAuth client_id)
 * @param userId             subject (user id), may be null (client credentials, revoke)
 * @param sessionId          IdP session id (the token's {@code sid}), may be null
 * @param ip                 address the IdP saw the call from
 * @param accessTokenId      the access token's {@code jti} involved (issued, introspected, revoked)
 * @param refreshTokenId     the refresh token's {@code jti} presented or issued
 * @param newRefreshTokenId  the rotated refresh token's {@code jti} after a refresh
 * @param error              error code for ERROR events
 * @param details            bounded map of non-secret details; values under secret names ({@link
 *                           SensitiveNames#isSecretField}) are masked here, JWTs inside the others by
 *                           the masking policy
 * @param actor              for admin events: the administrator's user id, else null
 * @param node               the recording node
 */
public record TokenEvent(String id, Instant time, TokenEventType type, String eventName, String realm,
                         String clientId, String userId, String sessionId, String ip, String accessTokenId,
                         String refreshTokenId, String newRefreshTokenId, String error,
                         Map<String, String> details, String actor, String node) implements ReplayRecord {

    /** At most this many detail entries are kept; more is a sign of something odd. */
    public static final int MAX_DETAILS = 32;
    /** Detail values are cut to this many characters. */
    public static final int MAX_DETAIL_CHARS = 1024;
    /** The key of the entry that counts the details dropped beyond {@link #MAX_DETAILS}. */
    private static final String DROPPED = "…";

    public TokenEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
        eventName = eventName == null ? type.name() : eventName;
        details = sanitize(details);
    }

    /** The token ids this event names, in a stable order, without nulls. */
    public java.util.List<String> tokenIds() {
        var ids = new java.util.ArrayList<String>(3);
        if (accessTokenId != null) ids.add(accessTokenId);
        if (refreshTokenId != null) ids.add(refreshTokenId);
        if (newRefreshTokenId != null) ids.add(newRefreshTokenId);
        return ids;
    }

    private static Map<String, String> sanitize(Map<String, String> in) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        var out = new LinkedHashMap<String, String>();
        for (var e : in.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            if (out.size() == MAX_DETAILS) {
                // Details bounded before (a masked copy) carry their own count: keep it, not "1 more".
                boolean counted = in.size() == MAX_DETAILS + 1 && DROPPED.equals(k) && v != null;
                out.put(DROPPED, counted ? v : (in.size() - MAX_DETAILS) + " more details dropped");
                break;
            }
            if (k == null) {
                continue;
            }
            if (SensitiveNames.isSecretField(k)) {
                v = SensitiveNames.marker(k);
            } else if (v != null && v.length() > MAX_DETAIL_CHARS) {
                v = cut(v);
            }
            out.put(k, v);
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * The first {@link #MAX_DETAIL_CHARS} characters, less a token-like run the cut goes through:
     * a JWT cut inside its payload no longer looks like one, so masking would not recognise the
     * half left. Dropping the whole run keeps a cut from ever storing part of a credential.
     */
    private static String cut(String v) {
        int end = MAX_DETAIL_CHARS;
        if (Character.isHighSurrogate(v.charAt(end - 1))) {
            end--;
        }
        if (tokenChar(v.charAt(end))) {
            while (end > 0 && tokenChar(v.charAt(end - 1))) {
                end--;
            }
        }
        return v.substring(0, end) + "…";
    }

    /** Characters of base64, base64url, JWT dots and hex: what a credential is made of. */
    private static boolean tokenChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '_' || c == '.' || c == '+' || c == '/' || c == '=';
    }
}
