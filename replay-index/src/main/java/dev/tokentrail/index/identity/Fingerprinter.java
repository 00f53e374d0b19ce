package dev.tokentrail.index.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed fingerprints of raw credentials: HMAC-SHA256 under a per-installation secret key.
 *
 * <p>A plain hash would let anyone holding a leaked index confirm a guessed token, or brute-force
 * a short API key offline. With a key that lives beside the data (owner-only) but never inside
 * an index, a leaked shard alone proves nothing. Every component pointed at the same data root
 * reads the same key, so the viewer can fingerprint a pasted token and find it.
 */
public final class Fingerprinter {

    /** The key file inside a data root. */
    public static final String KEY_FILE = ".tokentrail.key";
    private static final int KEY_BYTES = 32;
    /** Fingerprints are cut to 128 bits: ample for identity, shorter in every index entry. */
    private static final int FINGERPRINT_BYTES = 16;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    private Fingerprinter(byte[] keyBytes) {
        this.key = new SecretKeySpec(keyBytes, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /**
     * Creates a directory (and missing parents) readable by its owner only, where the file system
     * knows POSIX permissions: what is recorded there names users, addresses and requests. An
     * existing directory keeps the permissions its administrator gave it.
     */
    public static void createOwnerOnly(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
    }

    /**
     * Reads the data root's key, creating it on first use with owner-only permissions. Safe when
     * several processes start at once: the first link wins and everyone reads the winner.
     */
    public static Fingerprinter forRoot(Path root) {
        Path file = root.resolve(KEY_FILE);
        try {
            createOwnerOnly(root);
            if (!Files.exists(file)) {
                createKey(root, file);
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length != KEY_BYTES) {
                throw new IllegalStateException("Fingerprint key " + file + " is " + bytes.length
                        + " bytes, expected " + KEY_BYTES + ": it was truncated or replaced."
                        + " Restore it from backup; a new key makes old fingerprints unsearchable.");
            }
            return new Fingerprinter(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the fingerprint key " + file, e);
        }
    }

    /** A fingerprinter with an explicit key, for tests and tools. */
    public static Fingerprinter withKey(byte[] keyBytes) {
        if (keyBytes.length < 16) {
            throw new IllegalArgumentException("fingerprint key must be at least 16 bytes");
        }
        return new Fingerprinter(keyBytes.clone());
    }

    private static void createKey(Path root, Path file) throws IOException {
        byte[] bytes = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(bytes);
        Path tmp;
        try {
            tmp = Files.createTempFile(root, ".key-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException nonPosix) {
            tmp = Files.createTempFile(root, ".key-", ".tmp");
        }
        try {
            Files.write(tmp, bytes);
            // A hard link never replaces an existing file: two processes racing both read one key.
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException raced) {
            // another process created it first; use theirs
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The fingerprint of a raw credential: 22 base64url characters (128 bits of HMAC-SHA256). */
    public String fingerprint(String raw) {
        Mac mac = macs.get();
        byte[] out = mac.doFinal(raw.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(out, FINGERPRINT_BYTES));
    }

    /** The marker that stands in for a credential in stored text: {@code «token:<fingerprint>»}. */
    public String reference(String raw) {
        return "«token:" + fingerprint(raw) + "»";
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "Fingerprinter[HmacSHA256]";
    }
}
