package dev.tokentrail.keycloak;

import dev.tokentrail.index.mask.MaskingPolicy;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;
import org.keycloak.events.admin.OperationType;

/**
 * Keycloak's {@link Event} and {@link AdminEvent} to the model's {@link TokenEvent}. Pure: no I/O,
 * no Keycloak session; what it must know about the server's state comes through {@link Lookup}.
 *
 * <p>Never copies a password, secret, code or token value: token ids come from Keycloak's
 * {@code *_token_id} details (jtis, not tokens), known id details move into their own fields,
 * {@link TokenEvent}'s own guard masks every detail under a secret name, and the core's
 * {@link MaskingPolicy#mask(TokenEvent)} turns a JWT left in any other detail into its
 * fingerprint reference (the same the gateway stores for it, so the two can be linked).
 */
final class EventTranslator {

    /** What an admin event cannot tell by itself; answered from Keycloak's model in the server. */
    interface Lookup {
        /** Whether the user is enabled now (inside the admin's transaction), or null when unknown. */
        Boolean userEnabled(String realmId, String userId);

        /** The OAuth client_id of a client's internal id, or null when unknown. */
        String clientId(String realmId, String clientUuid);

        Lookup NONE = new Lookup() {
            @Override
            public Boolean userEnabled(String realmId, String userId) {
                return null;
            }

            @Override
            public String clientId(String realmId, String clientUuid) {
                return null;
            }
        };
    }

    static final String TOKEN_ID = "token_id";
    static final String REFRESH_TOKEN_ID = "refresh_token_id";
    static final String UPDATED_REFRESH_TOKEN_ID = "updated_refresh_token_id";

    /** Three base64url segments, the first a JSON header: a JWS/JWE is never an id. */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_.-]*");
    private static final Pattern UUIDISH = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final String node;
    private final Set<EventType> types;
    private final MaskingPolicy masking;

    EventTranslator(String node, Set<EventType> types, MaskingPolicy masking) {
        this.node = node;
        this.types = types;
        this.masking = masking;
    }

    /** Whether this user event type is recorded at all (checked before any translation work). */
    boolean wanted(EventType type) {
        return type != null && types.contains(type);
    }

    /** The model record of a user event, or null when it is not recorded. */
    TokenEvent user(Event e) {
        if (e == null || !wanted(e.getType())) {
            return null;
        }
        Map<String, String> in = e.getDetails() == null ? Map.of() : e.getDetails();
        Map<String, String> details = new LinkedHashMap<>();
        String accessId = null;
        String refreshId = in.get(REFRESH_TOKEN_ID);
        String newRefreshId = in.get(UPDATED_REFRESH_TOKEN_ID);
        String tokenId = in.get(TOKEN_ID);
        String tokenType = in.get("token_type");
        if (tokenId != null) {
            // Introspection names the token looked at; a refresh token's id belongs with refresh ids.
            if (e.getType() == EventType.INTROSPECT_TOKEN || e.getType() == EventType.INTROSPECT_TOKEN_ERROR) {
                if (tokenType != null && tokenType.toLowerCase(Locale.ROOT).contains("refresh") && refreshId == null) {
                    refreshId = tokenId;
                } else {
                    accessId = tokenId;
                }
            } else {
                accessId = tokenId;
            }
        }
        for (var d : in.entrySet()) {
            String k = d.getKey();
            if (k == null || TOKEN_ID.equals(k) || REFRESH_TOKEN_ID.equals(k) || UPDATED_REFRESH_TOKEN_ID.equals(k)) {
                continue;
            }
            details.put(k, d.getValue());
        }
        String error = e.getError();
        TokenEventType type = error != null || e.getType().name().endsWith("_ERROR")
                ? TokenEventType.ERROR : typeOf(e.getType(), accessId != null);
        return masking.mask(new TokenEvent(idOr(e.getId()), time(e.getTime()), type, e.getType().name(),
                realm(e.getRealmName(), e.getRealmId()), e.getClientId(), e.getUserId(), e.getSessionId(),
                e.getIpAddress(), idValue(accessId), idValue(refreshId), idValue(newRefreshId), error, details, null,
                node));
    }

    private static TokenEventType typeOf(EventType t, boolean issuedTokens) {
        return switch (t) {
            // A browser LOGIN starts a session (tokens follow with CODE_TO_TOKEN); a password grant issues.
            case LOGIN -> issuedTokens ? TokenEventType.ISSUED : TokenEventType.SESSION_STARTED;
            case IMPERSONATE -> TokenEventType.SESSION_STARTED;
            case CLIENT_LOGIN, CODE_TO_TOKEN, OAUTH2_DEVICE_CODE_TO_TOKEN, AUTHREQID_TO_TOKEN, OAUTH2_EXTENSION_GRANT,
                 JWT_AUTHORIZATION_GRANT, PERMISSION_TOKEN -> TokenEventType.ISSUED;
            case REFRESH_TOKEN -> TokenEventType.REFRESHED;
            case TOKEN_EXCHANGE -> TokenEventType.EXCHANGED;
            case INTROSPECT_TOKEN -> TokenEventType.INTROSPECTED;
            case USER_INFO_REQUEST -> TokenEventType.USERINFO;
            case REVOKE_GRANT -> TokenEventType.REVOKED;
            case LOGOUT, USER_SESSION_DELETED -> TokenEventType.LOGGED_OUT;
            case DELETE_ACCOUNT, USER_DISABLED_BY_PERMANENT_LOCKOUT, USER_DISABLED_BY_TEMPORARY_LOCKOUT ->
                    TokenEventType.USER_DISABLED;
            case UPDATE_PASSWORD, RESET_PASSWORD, UPDATE_CREDENTIAL, REMOVE_CREDENTIAL, REMOVE_TOTP, UPDATE_TOTP ->
                    TokenEventType.CREDENTIALS_CHANGED;
            default -> TokenEventType.OTHER;
        };
    }

    /**
     * The lifecycle record of an admin event that ends sessions or invalidates credentials, or null
     * for every other admin operation (role edits, realm settings ...).
     */
    TokenEvent admin(AdminEvent a, Lookup lookup) {
        if (a == null || a.getResourcePath() == null || a.getOperationType() == null) {
            return null;
        }
        String[] p = a.getResourcePath().split("/");
        OperationType op = a.getOperationType();
        String realmId = a.getRealmId();
        TokenEventType type = null;
        String userId = null;
        String sessionId = null;
        String clientUuid = null;
        String change = null;
        String consentClient = null;
        if (p.length >= 2 && "users".equals(p[0])) {
            userId = p[1];
            if (p.length == 2 && op == OperationType.DELETE) {
                type = TokenEventType.USER_DISABLED;
                change = "user deleted";
            } else if (p.length == 2 && op == OperationType.UPDATE) {
                Boolean enabled = enabledIn(a.getRepresentation());
                if (enabled == null) {
                    enabled = lookup.userEnabled(realmId, userId);
                }
                if (Boolean.FALSE.equals(enabled)) {
                    type = TokenEventType.USER_DISABLED;
                    change = "user disabled";
                }
            } else if (p.length == 3 && "logout".equals(p[2])) {
                type = TokenEventType.SESSION_ENDED_BY_ADMIN;
                change = "user logged out of every session";
            } else if (p.length == 3 && "reset-password".equals(p[2])) {
                type = TokenEventType.CREDENTIALS_CHANGED;
                change = "password reset";
            } else if (p.length == 4 && "credentials".equals(p[2]) && op == OperationType.DELETE) {
                type = TokenEventType.CREDENTIALS_CHANGED;
                change = "credential removed";
            } else if (p.length == 4 && "consents".equals(p[2]) && op == OperationType.DELETE) {
                type = TokenEventType.REVOKED;
                change = "consent and offline tokens revoked";
                consentClient = p[3];
            } else if (p.length == 3 && "impersonation".equals(p[2])) {
                type = TokenEventType.SESSION_STARTED;
                change = "impersonation";
            }
        } else if (p.length == 2 && "sessions".equals(p[0]) && op == OperationType.DELETE) {
            sessionId = p[1];
            type = TokenEventType.SESSION_ENDED_BY_ADMIN;
            change = "session deleted";
        } else if (p.length == 1 && "logout-all".equals(p[0])) {
            type = TokenEventType.SESSION_ENDED_BY_ADMIN;
            change = "every session of the realm ended";
        } else if (p.length == 1 && "push-revocation".equals(p[0])) {
            type = TokenEventType.NOT_BEFORE_PUSHED;
            change = "not-before pushed for the realm";
        } else if (p.length >= 2 && "clients".equals(p[0])) {
            clientUuid = p[1];
            if (p.length == 2 && op == OperationType.DELETE) {
                type = TokenEventType.CLIENT_CHANGED;
                change = "client deleted";
            } else if (p.length == 3 && "client-secret".equals(p[2]) && op != OperationType.DELETE) {
                type = TokenEventType.CLIENT_CHANGED;
                change = "client secret regenerated";
            } else if (p.length == 4 && "client-secret".equals(p[2]) && "rotated".equals(p[3])) {
                type = TokenEventType.CLIENT_CHANGED;
                change = "rotated client secret invalidated";
            } else if (p.length == 3 && "push-revocation".equals(p[2])) {
                type = TokenEventType.NOT_BEFORE_PUSHED;
                change = "not-before pushed for the client";
            }
        }
        if (type == null) {
            return null;
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("change", change);
        details.put("operation_type", op.name());
        details.put("resource_type", a.getResourceTypeAsString());
        details.put("resource_path", a.getResourcePath());
        AuthDetails auth = a.getAuthDetails();
        String actor = null;
        String ip = null;
        if (auth != null) {
            actor = auth.getUserId();
            ip = auth.getIpAddress();
            details.put("admin_realm", auth.getRealmName() != null ? auth.getRealmName() : auth.getRealmId());
            // The internal id of the admin's client (e.g. admin-cli): Keycloak gives no client_id here.
            details.put("admin_client_uuid", auth.getClientId());
        }
        String clientId = consentClient;
        if (clientUuid != null) {
            details.put("client_uuid", clientUuid);
            clientId = clientIdIn(a.getRepresentation());
            if (clientId == null) {
                clientId = lookup.clientId(realmId, clientUuid);
            }
        }
        if (a.getError() != null) {
            details.put("admin_error", a.getError());
        }
        String name = "ADMIN_" + op.name() + "_" + (a.getResourceTypeAsString() == null ? "UNKNOWN"
                : a.getResourceTypeAsString());
        return masking.mask(new TokenEvent(idOr(a.getId()), time(a.getTime()), type, name,
                realm(a.getRealmName(), realmId), clientId, idValue(userId), idValue(sessionId), ip, null, null, null,
                a.getError(), details, actor, node));
    }

    /** {@code "enabled":false} in a user representation, without a JSON parser on the request thread. */
    static Boolean enabledIn(String representation) {
        if (representation == null) {
            return null;
        }
        var m = Pattern.compile("\"enabled\"\\s*:\\s*(true|false)").matcher(representation);
        return m.find() ? Boolean.valueOf(m.group(1)) : null;
    }

    static String clientIdIn(String representation) {
        if (representation == null) {
            return null;
        }
        var m = Pattern.compile("\"clientId\"\\s*:\\s*\"([^\"]{1,255})\"").matcher(representation);
        return m.find() ? m.group(1) : null;
    }

    /** Ids become index keys: anything not id-shaped is not an id we trust and is dropped. */
    private static String idValue(String v) {
        return v != null && v.length() <= 128 && !JWT.matcher(v).find() && UUIDISH.matcher(v).matches()
                ? v : null;
    }

    private static String idOr(String id) {
        return id != null && !id.isBlank() ? id : UUID.randomUUID().toString();
    }

    private static Instant time(long millis) {
        return millis > 0 ? Instant.ofEpochMilli(millis) : Instant.now();
    }

    private static String realm(String name, String id) {
        return name != null ? name : id;
    }
}
