package dev.tokentrail.viewer.api;

import dev.tokentrail.index.identity.TokenIdentity;

/**
 * Timeline keys the viewer puts in its own URLs: a token's jti when it has one, else the reader's
 * own display key {@code fingerprint:<fp>}, which the reader accepts back, so a raw token never
 * needs to be in a URL.
 */
final class Keys {

    static final String FINGERPRINT = "fingerprint:";

    private Keys() {
    }

    /** The key that reopens a presented token's timeline without the raw value. */
    static String of(TokenIdentity t) {
        if (t == null) {
            return null;
        }
        return t.jti() != null ? t.jti() : t.fingerprint() != null ? FINGERPRINT + t.fingerprint() : null;
    }
}
