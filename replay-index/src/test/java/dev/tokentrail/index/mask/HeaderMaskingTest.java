package dev.tokentrail.index.mask;

import static dev.tokentrail.index.identity.TokenCases.T1;
import static dev.tokentrail.index.identity.TokenCases.T3;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.model.Header;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Header cases of bodies.md (B19-B23) and tokens.md (H1-H9), as stored text. */
class HeaderMaskingTest {

    private final Fingerprinter fp = Fingerprinter.withKey("header-masking-test-key-01234567".getBytes());
    private final MaskingPolicy policy = MaskingPolicy.defaults(fp);

    private String one(String name, String value) {
        List<Header> out = policy.maskHeaders(List.of(new Header(name, value)));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).name()).isEqualTo(name);
        return out.get(0).value();
    }

    @Test
    void h1BearerKeepsSchemeAndReference() {
        assertThat(one("Authorization", "Bearer " + T1)).isEqualTo("Bearer " + fp.reference(T1));
    }

    @Test
    void h2LowerCaseNameAndSchemeAreKeptAsSentWithTheSameReference() {
        assertThat(one("authorization", "bearer " + T1)).isEqualTo("bearer " + fp.reference(T1));
    }

    @Test
    void h3ExtraSpacesDoNotChangeTheReference() {
        assertThat(one("Authorization", "Bearer   " + T1 + "  ")).isEqualTo("Bearer " + fp.reference(T1));
        assertThat(one("Authorization", "\tBearer\t" + T1)).isEqualTo("Bearer " + fp.reference(T1));
    }

    @Test
    void h4BasicCredentialsAreMaskedAndNeverDecoded() {
        String out = one("Authorization", "Basic YWxpY2U6c2VjcmV0");
        assertThat(out).isEqualTo("Basic «masked:credentials»");
        assertThat(out).doesNotContain("YWxpY2U6c2VjcmV0", "alice", "secret");
    }

    @Test
    void otherSchemesAreMaskedWhole() {
        assertThat(one("Authorization", "Digest username=\"bob\", response=\"6629fae49393a05397450978507c4ef1\""))
                .isEqualTo("Digest «masked:credentials»");
        assertThat(one("Authorization", "AWS4-HMAC-SHA256 Credential=AKIA/x, Signature=abc"))
                .isEqualTo("AWS4-HMAC-SHA256 «masked:credentials»");
        assertThat(one("Authorization", "opaque-without-scheme")).isEqualTo("«masked:authorization»");
        assertThat(one("Authorization", T3)).isEqualTo(fp.reference(T3)); // a bare JWT stays linkable
    }

    @Test
    void proxyAuthorizationIsTreatedLikeAuthorization() {
        assertThat(one("Proxy-Authorization", "Bearer " + T1)).isEqualTo("Bearer " + fp.reference(T1));
        assertThat(one("Proxy-Authorization", "Basic Zm9vOmJhcg==")).isEqualTo("Basic «masked:credentials»");
    }

    @Test
    void h6DpopTokenIsReferencedAndTheProofHeaderMasked() {
        assertThat(one("Authorization", "DPoP " + T1)).isEqualTo("DPoP " + fp.reference(T1));
        assertThat(one("DPoP", T3)).isEqualTo("«masked:DPoP»");
    }

    @Test
    void h9A64KiBAuthorizationHeaderIsStoredShort() {
        String huge = "Bearer " + "A".repeat(64 * 1024);
        String out = one("Authorization", huge);
        assertThat(out).isEqualTo("Bearer " + fp.reference("A".repeat(64 * 1024)));
        assertThat(out.length()).isLessThan(40);
    }

    @Test
    void b19CookieValuesMaskedNamesKept() {
        assertThat(one("Cookie", "JSESSIONID=abc; theme=dark")).isEqualTo("JSESSIONID=«masked:JSESSIONID»; theme=«masked:theme»");
        assertThat(one("Set-Cookie", "KEYCLOAK_SESSION=shop/5dcf/Aphz; Path=/realms/shop/; Secure; HttpOnly"))
                .isEqualTo("KEYCLOAK_SESSION=«masked:KEYCLOAK_SESSION»; Path=/realms/shop/; Secure; HttpOnly");
        assertThat(one("Cookie", "empty=; bare")).isEqualTo("empty=; «masked:cookie»");
    }

    @Test
    void b20ApiKeyHeadersMaskedByDefaultAndCustomNamesWhenConfigured() {
        assertThat(one("X-Api-Key", "sk_live_51H8abcdef")).isEqualTo("«masked:X-Api-Key»");
        assertThat(one("X-Gravitee-Api-Key", "9c1a")).isEqualTo("«masked:X-Gravitee-Api-Key»");
        assertThat(one("X-Partner-Auth", "pk_123")).isEqualTo("pk_123");
        MaskingPolicy custom = policy.with(List.of("X-Partner-Auth"), List.of());
        assertThat(custom.maskHeaders(List.of(new Header("x-partner-auth", "pk_123"))).get(0).value())
                .isEqualTo("«masked:x-partner-auth»");
    }

    @Test
    void headerNamesWithSecretWordsAreMasked() {
        assertThat(one("X-Refresh-Token", "r1")).isEqualTo("«masked:X-Refresh-Token»");
        assertThat(one("X-Client-Secret", "s1")).isEqualTo("«masked:X-Client-Secret»");
        assertThat(one("Access-Control-Allow-Credentials", "true")).isEqualTo("true");
        assertThat(one("WWW-Authenticate", "Bearer error=\"invalid_token\"")).isEqualTo("Bearer error=\"invalid_token\"");
    }

    @Test
    void ordinaryHeadersArePatternMasked() {
        assertThat(one("Location", "https://app.example/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz"))
                .isEqualTo("https://app.example/cb?code=«masked:code»&state=xyz");
        assertThat(one("Referer", "https://app/#access_token=" + T1 + "&x=1"))
                .isEqualTo("https://app/#access_token=" + fp.reference(T1) + "&x=1");
        assertThat(one("Accept", "text/html;q=0.9")).isEqualTo("text/html;q=0.9");
    }

    @Test
    void b22ManyLargeHeadersGiveABoundedList() {
        List<Header> in = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            in.add(new Header("X-Filler-" + i, "v".repeat(1024)));
        }
        in.add(new Header("Authorization", "Bearer " + T1));
        List<Header> out = policy.maskHeaders(in);
        int chars = out.stream().mapToInt(h -> h.name().length() + h.value().length()).sum();
        assertThat(chars).isLessThan(70 * 1024);
        assertThat(out.size()).isLessThan(100);
        assertThat(out).contains(new Header("Authorization", "Bearer " + fp.reference(T1))); // evidence kept
        Header summary = out.get(out.size() - 1);
        assertThat(summary.name()).isEqualTo("…");
        assertThat(summary.value()).matches("«dropped:\\d+ headers»");
    }

    @Test
    void aLongValueIsCutWithANote() {
        String out = one("X-Long", "x".repeat(10_000));
        assertThat(out).startsWith("x".repeat(4096)).endsWith("…«cut:5904 chars»");
    }

    @Test
    void b23ControlCharactersAreEscapedNeverKept() {
        String out = one("X-Note", "a\r\nSet-Cookie: evil=1\u0000z\u2028\u202e");
        assertThat(out).isEqualTo("a\\r\\nSet-Cookie: evil=1\\0z\\u2028\\u202e");
        assertThat(out.chars().noneMatch(c -> c < 0x20)).isTrue();
        List<Header> named = policy.maskHeaders(List.of(new Header("X-A\r\nX-B", "v")));
        assertThat(named.get(0).name()).isEqualTo("X-A\\r\\nX-B");
    }

    @Test
    void maskingTwiceChangesNothing() {
        List<Header> once = policy.maskHeaders(List.of(new Header("Authorization", "Bearer " + T1),
                new Header("Cookie", "a=b"), new Header("X-Api-Key", "k"), new Header("Location", "/cb?code=abc")));
        assertThat(policy.maskHeaders(once)).isEqualTo(once);
    }
}
