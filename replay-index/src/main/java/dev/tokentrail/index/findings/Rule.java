package dev.tokentrail.index.findings;

import dev.tokentrail.index.model.Finding.Severity;

/** The rules, each with the explanation an investigator reads first. */
public enum Rule {
    USE_AFTER_LOGOUT(Severity.HIGH, "The token was accepted by the gateway after its session had ended at the"
            + " identity provider (logout, or an administrator ending the session or the user). Someone holds a"
            + " copy of a token its owner believes is dead, or the gateway does not check sessions."),
    USE_AFTER_REVOKE(Severity.HIGH, "The token, or the refresh token it came from, was revoked before this request,"
            + " yet the gateway accepted it. Offline JWT validation does not see revocations."),
    USE_AFTER_EXPIRY(Severity.MEDIUM, "The request came after the token's exp and was accepted: the gateway has clock"
            + " skew, a lax leeway, or does not validate exp."),
    UNKNOWN_TOKEN(Severity.CRITICAL, "A JWT from a watched issuer whose jti the identity provider never issued while"
            + " its events were being recorded: forged, replayed from elsewhere, or minted with a leaked key."),
    TOKEN_SPREAD(Severity.HIGH, "One token was used from more distinct client addresses or user agents than one"
            + " client normally has within the window: the token has likely been copied."),
    REFRESH_REUSE(Severity.HIGH, "A refresh token was presented again after it had been rotated: the classic sign"
            + " of a stolen refresh token racing its owner."),
    BURST(Severity.MEDIUM, "The token's request rate exceeded the threshold: automation or scraping with a user's"
            + " token."),
    AUTH_FAILURE_STORM(Severity.MEDIUM, "Many authentication failures (401/403 or login errors) from one address or"
            + " against one user: credential stuffing, token guessing or a broken client."),
    CLIENT_MISMATCH(Severity.MEDIUM, "The token was issued to a different OAuth client than the gateway application"
            + " that presented it: a token passed between applications."),
    UNSIGNED_TOKEN(Severity.CRITICAL, "A token with alg none or without a signature reached the gateway. If it was"
            + " accepted, the gateway's validation is broken.");

    private final Severity severity;
    private final String explanation;

    Rule(Severity severity, String explanation) {
        this.severity = severity;
        this.explanation = explanation;
    }

    public Severity severity() {
        return severity;
    }

    public String explanation() {
        return explanation;
    }
}
