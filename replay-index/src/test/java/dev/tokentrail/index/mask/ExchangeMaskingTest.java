package dev.tokentrail.index.mask;

import static dev.tokentrail.index.identity.TokenCases.T1;
import static dev.tokentrail.index.identity.TokenCases.T2;
import static dev.tokentrail.index.identity.TokenCases.T3;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Header;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link MaskingPolicy#mask(Exchange)}: token identities derived from what was presented (H1-H8). */
class ExchangeMaskingTest {

    private final Fingerprinter fp = Fingerprinter.withKey("exchange-masking-test-key-012345".getBytes());
    private final MaskingPolicy policy = MaskingPolicy.defaults(fp);

    private static Exchange.Builder exchange(Header... headers) {
        return Exchange.builder("req-1", Instant.parse("2025-12-03T22:00:00Z")).method("GET").path("/orders")
                .requestHeaders(List.of(headers));
    }

    @Test
    void h1BearerGivesOneDecodedIdentityWithItsScheme() {
        Exchange out = policy.mask(exchange(new Header("Authorization", "Bearer " + T1)).build());
        assertThat(out.tokens()).hasSize(1);
        TokenIdentity t = out.token();
        assertThat(t.kind()).isEqualTo(TokenIdentity.Kind.JWT);
        assertThat(t.jti()).isEqualTo("onrtro:0f2d6c1e-8b1a-4c55-9e0f-1c2b3a4d5e6f");
        assertThat(t.scheme()).isEqualTo("Bearer");
        assertThat(t.fingerprint()).isEqualTo(fp.fingerprint(T1));
        assertThat(out.requestHeaders()).containsExactly(new Header("Authorization", "Bearer " + fp.reference(T1)));
    }

    @Test
    void h2AndH3CaseAndSpacesGiveTheSameIdentity() {
        TokenIdentity h1 = policy.mask(exchange(new Header("Authorization", "Bearer " + T1)).build()).token();
        TokenIdentity h2 = policy.mask(exchange(new Header("authorization", "bearer " + T1)).build()).token();
        TokenIdentity h3 = policy.mask(exchange(new Header("Authorization", "Bearer   " + T1 + "  ")).build()).token();
        assertThat(h2).isEqualTo(h1);
        assertThat(h3).isEqualTo(h1);
    }

    @Test
    void h4BasicGivesNoIdentity() {
        Exchange out = policy.mask(exchange(new Header("Authorization", "Basic YWxpY2U6c2VjcmV0")).build());
        assertThat(out.tokens()).isEmpty();
        assertThat(out.requestHeaders().get(0).value()).isEqualTo("Basic «masked:credentials»");
    }

    @Test
    void h5TwoAuthorizationHeadersWithDifferentTokensRecordBoth() {
        Exchange out = policy.mask(exchange(new Header("Authorization", "Bearer " + T1),
                new Header("Authorization", "Bearer " + T3)).build());
        assertThat(out.tokens()).extracting(TokenIdentity::fingerprint)
                .containsExactly(fp.fingerprint(T1), fp.fingerprint(T3));
        assertThat(out.requestHeaders()).extracting(Header::value)
                .containsExactly("Bearer " + fp.reference(T1), "Bearer " + fp.reference(T3));
    }

    @Test
    void theSameTokenTwiceIsOneIdentity() {
        Exchange out = policy.mask(exchange(new Header("Authorization", "Bearer " + T1),
                new Header("Authorization", "bearer  " + T1)).build());
        assertThat(out.tokens()).hasSize(1);
    }

    @Test
    void h6DpopSchemeIsRecordedAndTheProofIsNotAToken() {
        Exchange out = policy.mask(exchange(new Header("Authorization", "DPoP " + T1), new Header("DPoP", T3)).build());
        assertThat(out.tokens()).hasSize(1);
        assertThat(out.token().scheme()).isEqualTo("DPoP");
        assertThat(out.token().jti()).isEqualTo("onrtro:0f2d6c1e-8b1a-4c55-9e0f-1c2b3a4d5e6f");
        assertThat(out.requestHeaders()).extracting(Header::value).containsExactly("DPoP " + fp.reference(T1), "«masked:DPoP»");
    }

    @Test
    void h7TokenInTheQueryIsIdentifiedAndMaskedAndOtherParametersKept() {
        Exchange out = policy.mask(exchange().query("access_token=" + T1 + "&page=2").build());
        assertThat(out.query()).isEqualTo("access_token=«masked:access_token»&page=2");
        assertThat(out.tokens()).hasSize(1);
        assertThat(out.token().jti()).isEqualTo("onrtro:0f2d6c1e-8b1a-4c55-9e0f-1c2b3a4d5e6f");
        assertThat(out.token().fingerprint()).isEqualTo(fp.fingerprint(T1));
    }

    @Test
    void queryTokenParametersAreConfigurable() {
        MaskingPolicy custom = policy.toBuilder().tokenQueryParams(List.of("jwt")).build();
        Exchange out = custom.mask(exchange().query("jwt=" + T2 + "&access_token=opaque1").build());
        assertThat(out.tokens()).extracting(TokenIdentity::fingerprint).containsExactly(fp.fingerprint(T2));
        assertThat(out.query()).isEqualTo("jwt=«masked:jwt»&access_token=«masked:access_token»");
    }

    @Test
    void h8CookieTokenIsIdentifiedOnlyWhenTheCookieIsConfigured() {
        Header cookie = new Header("Cookie", "session=abc; at=" + T1);
        Exchange plain = policy.mask(exchange(cookie).build());
        assertThat(plain.tokens()).isEmpty();
        assertThat(plain.requestHeaders().get(0).value()).isEqualTo("session=«masked:session»; at=«masked:at»");

        MaskingPolicy withCookie = policy.toBuilder().tokenCookies(List.of("at")).build();
        Exchange out = withCookie.mask(exchange(cookie).build());
        assertThat(out.tokens()).extracting(TokenIdentity::fingerprint).containsExactly(fp.fingerprint(T1));
        assertThat(out.requestHeaders().get(0).value()).isEqualTo("session=«masked:session»; at=«masked:at»");
    }

    @Test
    void configuredTokenHeadersYieldIdentitiesAndReferences() {
        MaskingPolicy custom = policy.toBuilder().tokenHeaders(List.of("X-Forwarded-Access-Token")).build();
        Exchange out = custom.mask(exchange(new Header("x-forwarded-access-token", T3)).build());
        assertThat(out.tokens()).extracting(TokenIdentity::fingerprint).containsExactly(fp.fingerprint(T3));
        assertThat(out.requestHeaders().get(0).value()).isEqualTo(fp.reference(T3));
    }

    @Test
    void tokensAlreadyOnTheExchangeAreKeptFirstAndDerivedOnesDeduplicated() {
        TokenIdentity fromClaims = TokenIdentity.fromClaims(Map.of("jti", "from-plan", "sub", "u"));
        TokenIdentity known = TokenIdentity.of(T3, fp);
        Exchange raw = exchange(new Header("Cookie", "x=1"), new Header("Authorization", "Bearer " + T1),
                new Header("Authorization", "Bearer " + T3)).tokens(List.of(fromClaims, known)).build();
        Exchange out = policy.mask(raw);
        assertThat(out.tokens()).containsExactly(fromClaims, known, TokenIdentity.of(T1, "Bearer", fp));
    }

    @Test
    void authorizationIdentitiesComeBeforeOtherSources() {
        Exchange out = policy.mask(exchange(new Header("X-Trace", "1")).query("access_token=" + T3)
                .requestHeaders(List.of(new Header("Authorization", "Bearer " + T1))).build());
        assertThat(out.tokens()).extracting(TokenIdentity::fingerprint).containsExactly(fp.fingerprint(T1), fp.fingerprint(T3));
    }

    @Test
    void identitiesAreBoundedButHeadersStillMasked() {
        List<Header> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add(new Header("Authorization", "Bearer opaque-" + i));
        }
        Exchange out = policy.mask(exchange(many.toArray(Header[]::new)).build());
        assertThat(out.tokens()).hasSize(8);
        assertThat(out.requestHeaders()).allSatisfy(h -> assertThat(h.value()).doesNotContain("opaque-"));
    }

    @Test
    void anAuthorizationBeyondTheHeaderBudgetStillYieldsItsIdentity() {
        List<Header> many = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            many.add(new Header("X-F" + i, "v"));
        }
        for (int i = 0; i < 10; i++) {
            many.add(new Header("X-G" + i, "v"));
        }
        many.add(new Header("Cookie", "x=1"));
        MaskingPolicy small = policy.toBuilder().maxHeaders(20).tokenCookies(List.of("x")).build();
        Exchange out = small.mask(exchange(many.toArray(Header[]::new)).build());
        assertThat(out.tokens()).extracting(TokenIdentity::fingerprint).containsExactly(fp.fingerprint("1"));
        assertThat(out.requestHeaders()).hasSize(21);
    }

    @Test
    void responseHeadersAreMaskedButYieldNoIdentity() {
        Exchange out = policy.mask(exchange().status(302).responseHeaders(List.of(
                new Header("Set-Cookie", "KEYCLOAK_IDENTITY=" + T1 + "; Path=/"),
                new Header("Location", "https://app/cb?code=abc&state=s"))).build());
        assertThat(out.tokens()).isEmpty();
        assertThat(out.responseHeaders()).extracting(Header::value)
                .containsExactly("KEYCLOAK_IDENTITY=«masked:KEYCLOAK_IDENTITY»; Path=/", "https://app/cb?code=«masked:code»&state=s");
    }

    @Test
    void aTokenInThePathBecomesItsReference() {
        Exchange out = policy.mask(exchange().path("/magic/" + T2 + "/open").build());
        assertThat(out.path()).isEqualTo("/magic/" + fp.reference(T2) + "/open");
        Exchange plain = exchange().path("/orders/42").build();
        assertThat(policy.mask(plain).path()).isEqualTo("/orders/42");
    }

    @Test
    void everythingElseIsCarriedOverUnchanged() {
        Body body = new Body("{}", 2, false, "application/json", null, Body.Form.TEXT);
        Exchange raw = exchange(new Header("Accept", "*/*")).transactionId("tx").api("api").plan("plan")
                .application("app").scheme("https").host("h").requestBody(body).status(200).responseBody(body)
                .peer("127.0.0.1").forwardedFor(List.of("203.0.113.7", "10.0.0.2")).userAgent("ua")
                .traceparent("00-abc-def-01").node("gw-1").latency(java.time.Duration.ofMillis(12)).build();
        Exchange out = policy.mask(raw);
        assertThat(out).usingRecursiveComparison().ignoringFields("requestHeaders", "responseHeaders", "tokens")
                .isEqualTo(raw);
        assertThat(out.forwardedFor()).containsExactly("203.0.113.7", "10.0.0.2"); // B21: chain stored as sent
    }

    @Test
    void ordinaryClientValuesAreKeptAsSent() {
        String ua = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        String trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Exchange out = policy.mask(exchange().host("api.example.com:8443").userAgent(ua).traceparent(trace)
                .forwardedFor(List.of("203.0.113.7", "2001:db8::1", "[2001:db8::2]:443")).build());
        assertThat(out.host()).isEqualTo("api.example.com:8443");
        assertThat(out.userAgent()).isEqualTo(ua);
        assertThat(out.traceparent()).isEqualTo(trace);
        assertThat(out.forwardedFor()).containsExactly("203.0.113.7", "2001:db8::1", "[2001:db8::2]:443");
    }

    @Test
    void aTokenOrSecretInAnyClientChosenFieldIsMasked() {
        String planted = "x " + T1 + " password=hunter2";
        String masked = "x " + fp.reference(T1) + " password=«masked:password»";
        Exchange out = policy.mask(exchange().host(planted).userAgent(planted).traceparent(planted)
                .forwardedFor(List.of("203.0.113.7", planted)).build());
        assertThat(out.host()).isEqualTo(masked);
        assertThat(out.userAgent()).isEqualTo(masked);
        assertThat(out.traceparent()).isEqualTo(masked);
        assertThat(out.forwardedFor()).containsExactly("203.0.113.7", masked);
        assertThat(out.toString()).doesNotContain("hunter2").doesNotContain(T1.split("\\.")[2]);
    }

    @Test
    void clientChosenFieldsAreEscapedAndBoundedLikeHeaders() {
        Exchange out = policy.toBuilder().maxHeaderValueChars(100).build().mask(exchange()
                .userAgent("a\r\nX-Injected: 1\u202e").host("h\u0000").traceparent("t".repeat(150))
                .forwardedFor(List.of("1.2.3.4\n5.6.7.8")).build());
        assertThat(out.userAgent()).isEqualTo("a\\r\\nX-Injected: 1\\u202e");
        assertThat(out.host()).isEqualTo("h\\0");
        assertThat(out.traceparent()).isEqualTo("t".repeat(100) + "…«cut:50 chars»");
        assertThat(out.forwardedFor()).containsExactly("1.2.3.4\\n5.6.7.8");
    }

    @Test
    void aLongForwardedChainKeepsTheHopsNearestTheGateway() {
        List<String> chain = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            chain.add("198.51.100." + i);
        }
        Exchange out = policy.mask(exchange().forwardedFor(chain).build());
        assertThat(out.forwardedFor()).hasSize(MaskingPolicy.MAX_FORWARDED_HOPS)
                .startsWith("198.51.100." + (100 - MaskingPolicy.MAX_FORWARDED_HOPS)).endsWith("198.51.100.99");
    }

    @Test
    void maskingAMaskedExchangeAgainChangesNothing() {
        Exchange once = policy.mask(exchange(new Header("Authorization", "Bearer " + T1)).host("h")
                .userAgent("ua " + T2 + " secret=s").forwardedFor(List.of("token=" + T3)).traceparent("t").build());
        assertThat(policy.mask(once)).isEqualTo(once);
    }

    @Test
    void theRawTokenAppearsNowhereInTheMaskedExchange() {
        Exchange raw = exchange(new Header("Authorization", "Bearer " + T1), new Header("Cookie", "at=" + T2))
                .query("access_token=" + T3 + "&page=2").path("/x/" + T2).build();
        String all = policy.mask(raw).toString();
        for (String t : List.of(T1, T2, T3)) {
            for (String segment : t.split("\\.")) {
                assertThat(all).doesNotContain(segment);
            }
        }
    }
}
