package dev.tokentrail.viewer.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * OIDC logins in progress, kept by the browser instead of the server: state, nonce and PKCE
 * verifier sealed with AES-256-GCM under a key that exists only in this process.
 *
 * <p>Why not a server-side table: every unauthenticated request to the login start would add an
 * entry, so a table either grows without bound or, once capped, refuses the real investigators.
 * A sealed value costs the server nothing per request. GCM makes it unreadable (the verifier stays
 * secret even from the browser's own scripts and extensions, on top of HttpOnly) and unforgeable;
 * the time inside bounds its life. A restart makes logins in progress fail once: the user starts
 * again.
 */
final class LoginStates {

    /** One login in progress. {@code toString} names no secret. */
    record Pending(String state, String nonce, String verifier) {
        @Override
        public String toString() {
            return "Pending[state=…]";
        }
    }

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte VERSION = 1;
    /** Far above what we seal (about 200 characters); anything longer is not ours. */
    private static final int MAX_SEALED_CHARS = 1_024;
    /** Binds the ciphertext to its purpose, should another sealed value ever be added. */
    private static final byte[] PURPOSE = "tokentrail oidc login state v1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKey key;
    private final Duration ttl;
    private final SecureRandom random = new SecureRandom();

    LoginStates(Duration ttl) {
        this.ttl = ttl;
        try {
            KeyGenerator g = KeyGenerator.getInstance("AES");
            g.init(256, random);
            this.key = g.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES unavailable in this JVM", e);
        }
    }

    Duration ttl() {
        return ttl;
    }

    /** The cookie value for a login started at {@code now}. */
    String seal(Pending p, Instant now) {
        // The three values are base64url: '|' cannot occur in them.
        byte[] text = (p.state() + "|" + p.nonce() + "|" + p.verifier()).getBytes(StandardCharsets.US_ASCII);
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] header = header(now.getEpochSecond());
            c.updateAAD(PURPOSE);
            c.updateAAD(header);
            byte[] sealed = c.doFinal(text);
            ByteBuffer out = ByteBuffer.allocate(header.length + IV_BYTES + sealed.length);
            out.put(header).put(iv).put(sealed);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal the login state", e);
        }
    }

    /**
     * The login sealed in {@code value}, if it was sealed by this process, is unaltered and was
     * started less than the TTL before {@code now}.
     */
    Optional<Pending> open(String value, Instant now) {
        if (value == null || value.isEmpty() || value.length() > MAX_SEALED_CHARS) {
            return Optional.empty();
        }
        byte[] all;
        try {
            all = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        int headerBytes = 1 + Long.BYTES;
        if (all.length < headerBytes + IV_BYTES + TAG_BITS / 8 || all[0] != VERSION) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(all);
        in.get();
        long started = in.getLong();
        // The time is authenticated data: a forged one fails decryption below, so checking it first is safe.
        if (!fresh(started, now)) {
            return Optional.empty();
        }
        byte[] text;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, headerBytes, IV_BYTES));
            c.updateAAD(PURPOSE);
            c.updateAAD(all, 0, headerBytes);
            text = c.doFinal(all, headerBytes + IV_BYTES, all.length - headerBytes - IV_BYTES);
        } catch (GeneralSecurityException forgedOrAltered) {
            return Optional.empty();
        }
        String[] parts = new String(text, StandardCharsets.US_ASCII).split("\\|", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        return Optional.of(new Pending(parts[0], parts[1], parts[2]));
    }

    /** In plain seconds: a forged time may be any long, far outside what {@link Instant} holds. */
    private boolean fresh(long started, Instant now) {
        long t = now.getEpochSecond();
        // A start "in the future" cannot come from our own clock beyond a little skew.
        return started < t + 5 && started > t - ttl.toSeconds();
    }

    private static byte[] header(long epochSecond) {
        return ByteBuffer.allocate(1 + Long.BYTES).put(VERSION).putLong(epochSecond).array();
    }
}
