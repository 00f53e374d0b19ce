package dev.tokentrail.viewer;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How users log in.
 *
 * @param localToken   local mode's access token; null makes a random one at start-up (the default)
 * @param oidc         OIDC settings; null selects local mode
 * @param sessionTtl   how long a login lasts
 * @param metricsToken a bearer token accepted for {@code /metrics} and {@code /health} only, so a
 *                     scraper needs no user session; null disables it
 */
public record SecurityConfig(String localToken, Oidc oidc, Duration sessionTtl, String metricsToken) {

    public static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(8);
    /** Shorter secrets are guessable; a local token is a password to every captured trail. */
    static final int MIN_TOKEN_CHARS = 24;

    public SecurityConfig {
        sessionTtl = sessionTtl == null ? DEFAULT_SESSION_TTL : sessionTtl;
        if (sessionTtl.isNegative() || sessionTtl.isZero()) {
            throw new IllegalArgumentException("session TTL must be positive, was " + sessionTtl);
        }
        if (localToken != null && localToken.length() < MIN_TOKEN_CHARS) {
            throw new IllegalArgumentException("the local access token must be at least " + MIN_TOKEN_CHARS
                    + " characters");
        }
        if (metricsToken != null && metricsToken.length() < MIN_TOKEN_CHARS) {
            throw new IllegalArgumentException("the metrics token must be at least " + MIN_TOKEN_CHARS
                    + " characters");
        }
    }

    /** Local mode with a random token: the default. */
    public static SecurityConfig local() {
        return new SecurityConfig(null, null, DEFAULT_SESSION_TTL, null);
    }

    public boolean oidcMode() {
        return oidc != null;
    }

    /**
     * OIDC authorization code flow with PKCE.
     *
     * @param issuer       the realm's issuer URL, e.g. {@code https://idp.example/realms/tokentrail}
     * @param clientId     the viewer's client id
     * @param clientSecret for a confidential client, else null (PKCE alone for a public client)
     * @param role         realm or client role a user must hold, e.g. {@code tokentrail-auditor}
     * @param publicUrl    the viewer's own base URL as the browser sees it (for the redirect URI)
     */
    public record Oidc(URI issuer, String clientId, String clientSecret, String role, URI publicUrl) {
        public Oidc {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(publicUrl, "publicUrl");
            if (!"https".equals(issuer.getScheme()) && !"http".equals(issuer.getScheme())) {
                throw new IllegalArgumentException("OIDC issuer must be an http(s) URL, was " + issuer);
            }
            clientId = clientId == null || clientId.isBlank() ? "tokentrail-viewer" : clientId;
            role = role == null || role.isBlank() ? "tokentrail-auditor" : role;
            String s = issuer.toString();
            issuer = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        }

        public URI redirectUri() {
            String base = publicUrl.toString();
            return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/auth/callback");
        }

        @Override
        public String toString() {
            // Never print the client secret.
            return "Oidc[issuer=" + issuer + ", clientId=" + clientId + ", role=" + role + ", publicUrl=" + publicUrl
                    + ", confidential=" + (clientSecret != null) + "]";
        }
    }

    @Override
    public String toString() {
        return "SecurityConfig[mode=" + (oidcMode() ? "oidc " + oidc : "local") + ", sessionTtl=" + sessionTtl
                + ", metricsToken=" + (metricsToken != null ? "set" : "none") + "]";
    }
}
