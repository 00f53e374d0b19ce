package dev.tokentrail.index.identity;

import static dev.tokentrail.index.identity.TokenCases.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenIdentityTest {

    private final Fingerprinter fp = Fingerprinter.withKey("0123456789abcdef0123456789abcdef".getBytes());

    private TokenIdentity id(String raw) {
        return TokenIdentity.of(raw, fp);
    }

    @Test
    void t1KeycloakAccessTokenDecodesEveryClaimExactly() {
        TokenIdentity t = id(T1);
        assertThat(t.kind()).isEqualTo(TokenIdentity.Kind.JWT);
        assertThat(t.jti()).isEqualTo("onrtro:0f2d6c1e-8b1a-4c55-9e0f-1c2b3a4d5e6f");
        assertThat(t.sid()).isEqualTo("AphzmARfmloG4mDk5et0O5lb");
        assertThat(t.sub()).isEqualTo("5dcf765c-c0d9-4f75-930f-b7409aa74e93");
        assertThat(t.clientId()).isEqualTo("shop-web");
        assertThat(t.iss()).isEqualTo("http://127.0.0.1:8180/realms/shop");
        assertThat(t.aud()).containsExactly("account");
        assertThat(t.iat()).isEqualTo(Instant.ofEpochSecond(1764799700));
        assertThat(t.exp()).isEqualTo(Instant.ofEpochSecond(1764800000));
        assertThat(t.typ()).isEqualTo("Bearer");
        assertThat(t.scope()).isEqualTo("openid profile email");
        assertThat(t.alg()).isEqualTo("RS256");
        assertThat(t.unsigned()).isFalse();
        assertThat(t.fingerprint()).isEqualTo(fp.fingerprint(T1)).hasSize(22);
        assertThat(t.linkId()).isEqualTo(t.jti());
    }

    @Test
    void t2LightweightTokenHasNoSubAndNoAudAndNothingIsInvented() {
        TokenIdentity t = id(T2);
        assertThat(t.kind()).isEqualTo(TokenIdentity.Kind.JWT);
        assertThat(t.sub()).isNull();
        assertThat(t.aud()).isEmpty();
        assertThat(t.jti()).isEqualTo("onltro:d18e210a-2d25-1dca-282e-d30fdd3a4452");
        assertThat(t.sid()).isEqualTo("AphzmARfmloG4mDk5et0O5lb");
        assertThat(t.clientId()).isEqualTo("shop-web");
    }

    @Test
    void t3ClientCredentialsTokenHasNoSidAndNamesItsClient() {
        TokenIdentity t = id(T3);
        assertThat(t.sid()).isNull();
        assertThat(t.clientId()).isEqualTo("billing-job");
        assertThat(t.sub()).isEqualTo("1a5de68a-f0a8-475b-a0f5-febe8da7c700");
        assertThat(t.scope()).isEqualTo("profile");
        assertThat(t.jti()).isEqualTo("trrtcc:9dba24d1-b817-35fb-3e3e-424cbeec68df");
    }

    @Test
    void clientIdClaimIsUsedWhenAzpIsAbsent() {
        TokenIdentity t = id(jwt("{\"client_id\":\"cron\",\"jti\":\"j\"}"));
        assertThat(t.clientId()).isEqualTo("cron");
    }

    @Test
    void t4RfcExampleWithCrLfInsideTheJson() {
        TokenIdentity t = id(T4);
        assertThat(t.kind()).isEqualTo(TokenIdentity.Kind.JWT);
        assertThat(t.iss()).isEqualTo("joe");
        assertThat(t.exp()).isEqualTo(Instant.ofEpochSecond(1300819380));
        assertThat(t.jti()).isNull();
        assertThat(t.alg()).isEqualTo("HS256");
        assertThat(t.linkId()).isEqualTo(t.fingerprint());
    }

    @Test
    void t5AlgNoneIsDecodedAndMarkedUnsigned() {
        TokenIdentity t = id(T5);
        assertThat(t.kind()).isEqualTo(TokenIdentity.Kind.JWT);
        assertThat(t.unsigned()).isTrue();
        assertThat(t.alg()).isEqualTo("none");
        assertThat(t.sub()).isEqualTo("mallory");
        assertThat(t.jti()).isEqualTo("forged-1");
        assertThat(t.exp()).isEqualTo(Instant.ofEpochSecond(1764800000));
    }

    @Test
    void emptySignatureAloneAlsoCountsAsUnsigned() {
        String signed = jwt("{\"jti\":\"x\"}");
        String stripped = signed.substring(0, signed.lastIndexOf('.') + 1);
        assertThat(id(signed).unsigned()).isFalse();
        assertThat(id(stripped).unsigned()).isTrue();
        assertThat(id(stripped).jti()).isEqualTo("x");
    }

    @Test
    void t6MultiValuedAudienceKeepsBothInOrder() {
        assertThat(id(T6).aud()).containsExactly("account", "orders-api");
    }

    @Test
    void t7WrongClaimTypesNeverCrash() {
        TokenIdentity t = id(T7);
        assertThat(t.kind()).isEqualTo(TokenIdentity.Kind.JWT);
        assertThat(t.jti()).isEqualTo("12345");
        assertThat(t.exp()).isEqualTo(Instant.ofEpochSecond(1764800000)); // numeric string accepted
        assertThat(t.iat()).isEqualTo(Instant.ofEpochSecond(1764799700)); // float accepted
        assertThat(t.sid()).isNull();
        assertThat(t.sub()).isNull(); // an object is not a subject
    }

    @Test
    void t8ArrayPayloadIsOpaque() {
        assertOpaque(T8);
    }

    @Test
    void t9NonJsonPayloadIsOpaque() {
        assertOpaque(T9);
    }

    @Test
    void t10InvalidBase64IsOpaque() {
        assertOpaque(T10);
    }

    @Test
    void t11StandardBase64WithPaddingIsDecodedLeniently() {
        TokenIdentity t = id(T11);
        assertThat(t).isNotNull();
        assertThat(t.kind()).isEqualTo(TokenIdentity.Kind.JWT);
        assertThat(t.sub()).isEqualTo("a?>b");
        assertThat(t.jti()).isEqualTo("p+ad/ded");
    }

    @Test
    void t12JweIsOpaque() {
        assertOpaque(T12);
    }

    @Test
    void t13HugeTokenIsIdentifiedAtBoundedCostAndItsClaimsAreBounded() {
        String big = t13();
        TokenIdentity t = id(big);
        assertThat(t).isNotNull();
        assertThat(t.fingerprint()).isEqualTo(fp.fingerprint(big));
        // Beyond the decode bound the token is opaque; either way nothing of the padding is kept.
        assertThat(t.kind()).isIn(TokenIdentity.Kind.OPAQUE, TokenIdentity.Kind.JWT);
        assertThat(t.toString()).hasSizeLessThan(2_000);
    }

    @Test
    void claimValuesAreCutToABoundedLength() {
        TokenIdentity t = id(jwt("{\"sub\":\"" + "s".repeat(20_000) + "\",\"scope\":[\"a\",\"b\"]}"));
        assertThat(t.sub()).hasSize(1024);
        assertThat(t.scope()).isEqualTo("a b"); // a list scope (some IdPs) is joined as the string form
    }

    @Test
    void t14DotsOnlyIsOpaque() {
        assertOpaque(T14);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t\n", " \r\n "})
    void t15BlankInputHasNoIdentity(String blank) {
        assertThat(id(blank)).isNull();
        assertThat(TokenIdentity.of(null, fp)).isNull();
    }

    @Test
    void t16InvalidUtf8InAClaimIsReplacedWithoutCrashing() {
        TokenIdentity t = id(T16);
        assertThat(t.kind()).isEqualTo(TokenIdentity.Kind.JWT);
        assertThat(t.sub()).isEqualTo("\uFFFD\uFFFD");
    }

    @Test
    void t17UnicodeClaimsDecodeExactly() {
        TokenIdentity t = id(T17);
        assertThat(t.jti()).isEqualTo("ü-✓-😀");
        assertThat(t.sub()).isEqualTo("用户");
    }

    @Test
    void surroundingWhitespaceDoesNotChangeTheIdentity() {
        assertThat(id("  " + T1 + "\t ")).isEqualTo(id(T1));
    }

    @Test
    void theSchemeIsRememberedWithoutChangingTheFingerprint() {
        TokenIdentity dpop = TokenIdentity.of(T1, "DPoP", fp);
        assertThat(dpop.scheme()).isEqualTo("DPoP");
        assertThat(dpop.fingerprint()).isEqualTo(id(T1).fingerprint());
        assertThat(id(T1).withScheme("Bearer").scheme()).isEqualTo("Bearer");
    }

    @Test
    void rawValueIsInNoToStringForAnyCase() {
        for (String raw : List.of(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T16, T17, t13(), "opaque-abc-123")) {
            TokenIdentity t = id(raw);
            String s = t.toString();
            assertThat(s).doesNotContain(raw);
            for (String segment : raw.split("\\.")) {
                if (segment.length() >= 8) {
                    assertThat(s).as("segment of %s", raw.length() > 40 ? raw.substring(0, 40) : raw)
                            .doesNotContain(segment);
                }
            }
        }
    }

    @Test
    void claimsFromAGatewayPlanWithDateTimesAsNimbusProducesThem() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", "onrtro:abc");
        claims.put("sub", "u1");
        claims.put("sid", "s1");
        claims.put("azp", "shop-web");
        claims.put("aud", List.of("account", "orders-api"));
        claims.put("exp", Date.from(Instant.ofEpochSecond(1764800000)));
        claims.put("iat", Instant.ofEpochSecond(1764799700));
        claims.put("scope", "openid");
        TokenIdentity t = TokenIdentity.fromClaims(claims);
        assertThat(t.kind()).isEqualTo(TokenIdentity.Kind.CLAIMS);
        assertThat(t.fingerprint()).isNull();
        assertThat(t.exp()).isEqualTo(Instant.ofEpochSecond(1764800000));
        assertThat(t.iat()).isEqualTo(Instant.ofEpochSecond(1764799700));
        assertThat(t.aud()).containsExactly("account", "orders-api");
        assertThat(t.clientId()).isEqualTo("shop-web");
        assertThat(t.linkId()).isEqualTo("onrtro:abc");
    }

    @Test
    void claimsWithEpochSecondsNumbersOrTextAndOddTypesNeverThrow() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("exp", 1764800000L);
        claims.put("iat", "1764799700");
        claims.put("sub", Map.of("nested", "x"));
        claims.put("jti", 42);
        claims.put("client_id", "cron");
        claims.put("scope", List.of("a", "b"));
        claims.put("odd", new Object());
        TokenIdentity t = TokenIdentity.fromClaims(claims);
        assertThat(t.exp()).isEqualTo(Instant.ofEpochSecond(1764800000));
        assertThat(t.iat()).isEqualTo(Instant.ofEpochSecond(1764799700));
        assertThat(t.sub()).isNull();
        assertThat(t.jti()).isEqualTo("42");
        assertThat(t.clientId()).isEqualTo("cron");
        assertThat(t.scope()).isEqualTo("a b");
        assertThat(TokenIdentity.fromClaims(Map.of())).isNull();
        assertThat(TokenIdentity.fromClaims(null)).isNull();
    }

    private void assertOpaque(String raw) {
        TokenIdentity t = id(raw);
        assertThat(t).isNotNull();
        assertThat(t.kind()).isEqualTo(TokenIdentity.Kind.OPAQUE);
        assertThat(t.fingerprint()).isEqualTo(fp.fingerprint(raw.strip()));
        assertThat(t.jti()).isNull();
        assertThat(t.sub()).isNull();
        assertThat(t.aud()).isEmpty();
    }
}
