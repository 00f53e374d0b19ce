package dev.tokentrail.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Every raw credential the tests send through the gateway. They are deterministic (fixed claims,
 * fixed expiry, HMAC signatures) so that the raw-byte scan, which runs in another JVM after all
 * gateway tests, knows exactly what must never be found on disk.
 */
final class TestTokens {

    /** The HS256 key of the JWT plans in {@code apis/jwt-*.json}. */
    static final String PLAN_SECRET = "tokentrail-test-hmac-secret-of-32-bytes!!";
    /** 2100-01-01: far enough for any test run. */
    private static final long EXP = 4_102_444_800L;

    /** Valid for the JWT plans. */
    static final String ALICE_JWT = jwt(PLAN_SECRET,
            "{\"iss\":\"https://idp.test/realms/shop\",\"sub\":\"alice-0001\",\"sid\":\"sess-alice-1\","
                    + "\"azp\":\"shop-web\",\"client_id\":\"shop-web\",\"jti\":\"jti-alice-0001\",\"iat\":1700000000,"
                    + "\"exp\":" + EXP + ",\"scope\":\"openid orders\"}");
    /** Same shape, signed with another key: the plan rejects it. */
    static final String FORGED_JWT = jwt("an-attacker-key-that-is-also-32-bytes-long",
            "{\"iss\":\"https://idp.test/realms/shop\",\"sub\":\"mallory-0666\",\"azp\":\"shop-web\","
                    + "\"jti\":\"jti-forged-0666\",\"iat\":1700000000,\"exp\":" + EXP + "}");
    /** Used on keyless APIs (no plan checks it). */
    static final String BOB_JWT = jwt("bob-key-bob-key-bob-key-bob-key-bob-key",
            "{\"iss\":\"https://idp.test/realms/shop\",\"sub\":\"bob-0002\",\"sid\":\"sess-bob-2\","
                    + "\"azp\":\"mobile\",\"jti\":\"jti-bob-0002\",\"iat\":1700000000,\"exp\":" + EXP + "}");
    static final String QUERY_TOKEN = "qt_Zk3Xv9Lm2Pq8Rs5Tw1Yb7Nc4Hd6Jf0G";
    static final String API_KEY = "sk_live_51H8xYzTokentrailTestKey00000001";
    /** Masked only because the API's configuration names its header (not masked by default). */
    static final String TENANT_REF = "tenant-ref-value-7f3a9c2e1b";
    /** Masked only because the API's configuration names its field (not masked by default). */
    static final String IBAN = "DE44500105175407324931";
    /** Sent in the API's configured token header, not in Authorization. */
    static final String CAROL_JWT = jwt("carol-key-carol-key-carol-key-carol-key",
            "{\"iss\":\"https://idp.test/realms/shop\",\"sub\":\"carol-0003\",\"sid\":\"sess-carol-3\","
                    + "\"azp\":\"batch\",\"jti\":\"jti-carol-0003\",\"iat\":1700000000,\"exp\":" + EXP + "}");
    static final String SESSION_COOKIE = "JSESS-8c1d2e3f4a5b6c7d8e9f";
    static final String PASSWORD = "S3cret!Tokentrail";
    static final String CLIENT_SECRET = "9f8e7d-client-secret-tokentrail";
    static final String PIN = "pin-4711-tokentrail";
    static final String ZIP_JWT = jwt("zip-key-zip-key-zip-key-zip-key-zip-key",
            "{\"sub\":\"zip-user\",\"jti\":\"jti-zip-0003\",\"iat\":1700000000,\"exp\":" + EXP + "}");

    private TestTokens() {
    }

    /** Every secret value sent by any test; none may be found in a shard. */
    static List<String> all() {
        return List.of(ALICE_JWT, FORGED_JWT, BOB_JWT, QUERY_TOKEN, API_KEY, TENANT_REF, IBAN, CAROL_JWT,
                SESSION_COOKIE, PASSWORD, CLIENT_SECRET, PIN, ZIP_JWT);
    }

    /** The parts of a JWT that alone would leak it: its signature (and the whole token). */
    static List<String> signatures() {
        return all().stream().filter(t -> t.chars().filter(c -> c == '.').count() == 2)
                .map(t -> t.substring(t.lastIndexOf('.') + 1)).toList();
    }

    static String jwt(String key, String claimsJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(claimsJson.getBytes(StandardCharsets.UTF_8));
        String signingInput = header + "." + payload;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
