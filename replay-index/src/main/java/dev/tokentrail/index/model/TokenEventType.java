package dev.tokentrail.index.model;

/**
 * What an identity provider did to a token or a session, normalized across providers.
 * The original event name is kept beside it in {@link TokenEvent#eventName()}.
 */
public enum TokenEventType {
    /** A browser login created a session; tokens follow with CODE_TO_TOKEN. */
    SESSION_STARTED,
    /** Tokens were issued (password grant, code-to-token, client credentials, ...). */
    ISSUED,
    /** A refresh token was used: a new access token and possibly a rotated refresh token. */
    REFRESHED,
    /** Token exchange: a new token minted from a subject token. */
    EXCHANGED,
    /** A token was introspected by a resource server. */
    INTROSPECTED,
    /** The userinfo endpoint was called with an access token. */
    USERINFO,
    /** A token or grant was revoked. */
    REVOKED,
    /** The user logged out: the session and its tokens end. */
    LOGGED_OUT,
    /** An administrator ended a session or logged a user out. */
    SESSION_ENDED_BY_ADMIN,
    /** A user was disabled or deleted: every session and token of theirs ends. */
    USER_DISABLED,
    /** A password or other credential was reset or changed. */
    CREDENTIALS_CHANGED,
    /** A client's secret was regenerated or the client deleted. */
    CLIENT_CHANGED,
    /** A not-before revocation was pushed: tokens issued earlier are invalid. */
    NOT_BEFORE_PUSHED,
    /** The identity provider refused something (wrong password, revoked refresh token, ...). */
    ERROR,
    /** Recorded but not one of the above. */
    OTHER;

    /** True when this event ends the tokens of the session or user it names. */
    public boolean endsSession() {
        return switch (this) {
            // A password change does not end existing sessions in Keycloak unless asked to: not here.
            case LOGGED_OUT, SESSION_ENDED_BY_ADMIN, USER_DISABLED, NOT_BEFORE_PUSHED -> true;
            default -> false;
        };
    }
}
