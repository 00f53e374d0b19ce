package dev.tokentrail.viewer.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** RFC 7636 proof key: a random verifier kept server-side and its S256 challenge sent to the IdP. */
record Pkce(String verifier, String challenge) {

    static Pkce create() {
        return of(Secrets.random(32)); // 43 characters, the RFC's minimum and recommended size
    }

    static Pkce of(String verifier) {
        return new Pkce(verifier, challengeOf(verifier));
    }

    static String challengeOf(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "Pkce[challenge=" + challenge + "]";
    }
}
