package dev.tokentrail.dist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;

/**
 * The demo realm {@code tokentrail-demo}: users alice (no viewer role) and auditor (role
 * {@code tokentrail-auditor}), clients demo-web (password grant + browser), demo-service
 * (client credentials) and tokentrail-viewer (public, PKCE). Passwords and secrets are fresh
 * random values each run: they are printed for the user, and the e2e test proves none reaches a shard.
 */
public record DemoRealm(String alicePassword, String auditorPassword, String webSecret, String serviceSecret,
                        String adminPassword) {

    public static final String NAME = "tokentrail-demo";
    public static final String WEB_CLIENT = "demo-web";
    public static final String SERVICE_CLIENT = "demo-service";
    public static final String VIEWER_CLIENT = "tokentrail-viewer";
    public static final String AUDITOR_ROLE = "tokentrail-auditor";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static DemoRealm random() {
        return new DemoRealm("alice-" + word(10), "auditor-" + word(10), word(32), word(32), "admin-" + word(12));
    }

    static String word(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** Every secret of the realm, for the "never on disk" scan. */
    public List<String> secrets() {
        return List.of(alicePassword, auditorPassword, webSecret, serviceSecret, adminPassword);
    }

    /** The realm JSON Keycloak imports, with the viewer's URL as its only redirect target. */
    String json(String viewerUrl) {
        try (InputStream in = DemoRealm.class.getResourceAsStream("demo-realm.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@ALICE_PASSWORD@", alicePassword)
                    .replace("@AUDITOR_PASSWORD@", auditorPassword)
                    .replace("@WEB_SECRET@", webSecret)
                    .replace("@SERVICE_SECRET@", serviceSecret)
                    .replace("@VIEWER_URL@", viewerUrl);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
