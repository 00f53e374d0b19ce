package dev.tokentrail.viewer.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.mask.MaskingPolicy;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Header;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CurlExportTest {

    Exchange.Builder base() {
        return Exchange.builder("x1", Instant.parse("2026-01-01T00:00:00Z")).method("POST").scheme("https")
                .host("api.example").path("/token");
    }

    @Test
    void credential_headers_become_variables_even_when_masking_missed_them() {
        String curl = CurlExport.of(base().requestHeaders(List.of(
                new Header("Authorization", "Bearer eyJraw.leaked.value"),
                new Header("X-Api-Key", "sk_live_51H8raw"),
                new Header("Proxy-Authorization", "Basic dXNlcjpwYXNz"),
                new Header("Accept", "application/json"))).build());
        assertThat(curl).contains("-H 'Authorization: Bearer '\"$ACCESS_TOKEN\"")
                .contains("-H 'X-Api-Key: '\"$SECRET_X_API_KEY\"")
                .contains("-H 'Proxy-Authorization: Basic '\"$PROXY_CREDENTIALS\"")
                .contains("-H 'Accept: application/json'")
                .doesNotContain("eyJraw").doesNotContain("sk_live").doesNotContain("dXNlcjpwYXNz");
    }

    @Test
    void masked_form_fields_become_variables() {
        String curl = CurlExport.of(base().requestBody(new Body(
                "grant_type=password&username=alice&password=«masked:password»&client_secret=«masked:client_secret»",
                90, false, "application/x-www-form-urlencoded", null, Body.Form.TEXT)).build());
        assertThat(curl).contains("--data-raw 'grant_type=password&username=alice&password='\"$PASSWORD\"'&client_secret='\"$CLIENT_SECRET\"")
                .contains("#   export CLIENT_SECRET=...").contains("#   export PASSWORD=...");
    }

    static final Fingerprinter FP = Fingerprinter.withKey(new byte[32]);
    static final MaskingPolicy MASKING = MaskingPolicy.defaults(FP);

    static String jwt(String jti) {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        return b.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b.encodeToString(("{\"jti\":\"" + jti + "\",\"sub\":\"alice\"}").getBytes(StandardCharsets.UTF_8))
                + ".c2lnbmF0dXJlLWJ5dGVz";
    }

    /** What an adapter stores: the exchange through the real default masking, bodies included. */
    static Exchange masked(String query, List<Header> headers, String body, String contentType) {
        Exchange.Builder b = Exchange.builder("x2", Instant.parse("2026-01-01T00:00:00Z")).method("POST").scheme("https")
                .host("idp.example").path("/token").query(query).requestHeaders(headers);
        if (body != null) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            b.requestBody(MASKING.body(bytes, bytes.length, bytes.length, contentType, null));
        }
        return MASKING.mask(b.build());
    }

    static final String AT = jwt("access-1");
    static final String AT2 = jwt("access-2");
    static final String RT = jwt("refresh-1");
    static final String IDT = jwt("id-1");
    static final String OPAQUE_RT = "opaque-refresh-0123456789abcdef";

    @Test
    void a_refresh_token_in_the_query_is_REFRESH_TOKEN_and_the_access_token_ACCESS_TOKEN() {
        Exchange x = masked("token=" + AT + "&refresh_token=" + RT, List.of(), null, null);
        assertThat(x.query()).as("masking left fingerprints, not names").contains("«token:");
        String curl = CurlExport.of(x);
        assertThat(curl).contains("?token='\"$ACCESS_TOKEN\"'&refresh_token='\"$REFRESH_TOKEN\"")
                .contains("#   export ACCESS_TOKEN=...").contains("#   export REFRESH_TOKEN=...")
                .doesNotContain(AT).doesNotContain(RT).doesNotContain("«");
    }

    @Test
    void json_and_form_body_fields_get_the_placeholder_of_their_kind() {
        String json = CurlExport.of(masked(null, List.of(), "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + RT
                + "\", \"id_token\" : \"" + IDT + "\",\"client_secret\":\"s3cr3t-value\",\"password\":\"hunter2\","
                + "\"accessToken\":\"" + AT + "\",\"api_key\":\"k-123456\"}", "application/json"));
        assertThat(json).contains("\"refresh_token\":\"'\"$REFRESH_TOKEN\"'\"")
                .contains("\"id_token\":\"'\"$ID_TOKEN\"'\"")
                .contains("\"client_secret\":\"'\"$CLIENT_SECRET\"'\"")
                .contains("\"password\":\"'\"$PASSWORD\"'\"")
                .contains("\"accessToken\":\"'\"$ACCESS_TOKEN\"'\"")
                .contains("\"api_key\":\"'\"$SECRET_API_KEY\"'\"")
                .doesNotContain(RT).doesNotContain(IDT).doesNotContain(AT).doesNotContain("s3cr3t").doesNotContain("hunter2")
                .doesNotContain("k-123456").doesNotContain("«");

        String form = CurlExport.of(masked(null, List.of(), "grant_type=refresh_token&refresh_token=" + RT
                + "&client_id=shop&client_secret=s3cr3t-value&id_token_hint=" + IDT, "application/x-www-form-urlencoded"));
        assertThat(form).contains("&refresh_token='\"$REFRESH_TOKEN\"'&client_id=shop&client_secret='\"$CLIENT_SECRET\"'"
                        + "&id_token_hint='\"$ID_TOKEN\"")
                .doesNotContain(RT).doesNotContain(IDT).doesNotContain("s3cr3t").doesNotContain("«");

        // An opaque refresh token is masked by name rather than fingerprinted: the same placeholder.
        String opaque = CurlExport.of(masked(null, List.of(), "grant_type=refresh_token&refresh_token=" + OPAQUE_RT,
                "application/x-www-form-urlencoded"));
        assertThat(opaque).contains("&refresh_token='\"$REFRESH_TOKEN\"").doesNotContain(OPAQUE_RT)
                .doesNotContain("ACCESS_TOKEN");
    }

    @Test
    void authorization_headers_are_named_by_scheme_and_proxy_credentials_by_header() {
        String curl = CurlExport.of(masked(null, List.of(new Header("Authorization", "Basic c2hvcDpzM2NyM3Q="),
                new Header("Proxy-Authorization", "Bearer " + AT2), new Header("DPoP", jwt("proof"))), null, null));
        assertThat(curl).contains("-H 'Authorization: Basic '\"$BASIC_CREDENTIALS\"")
                .contains("-H 'Proxy-Authorization: Bearer '\"$PROXY_CREDENTIALS\"")
                .contains("-H 'DPoP: '\"$SECRET_DPOP\"")
                .doesNotContain("c2hvcDpzM2NyM3Q=").doesNotContain(AT2).doesNotContain("ACCESS_TOKEN");
    }

    @Test
    void the_same_token_twice_is_one_variable_and_two_access_tokens_are_two() {
        String curl = CurlExport.of(masked("token=" + AT2, List.of(new Header("Authorization", "Bearer " + AT)),
                "{\"token\":\"" + AT + "\"}", "application/json"));
        assertThat(curl).contains("?token='\"$ACCESS_TOKEN\"")
                .contains("-H 'Authorization: Bearer '\"$ACCESS_TOKEN_2\"")
                .contains("--data-raw '{\"token\":\"'\"$ACCESS_TOKEN_2\"'\"}'")
                .contains("#   export ACCESS_TOKEN=...").contains("#   export ACCESS_TOKEN_2=...")
                .doesNotContain(AT).doesNotContain(AT2);
        // Masked by name, without a fingerprint: never assumed to be the bearer token.
        String byName = CurlExport.of(masked("access_token=" + AT2, List.of(new Header("Authorization", "Bearer " + AT)),
                null, null));
        assertThat(byName).contains("?access_token='\"$ACCESS_TOKEN\"")
                .contains("-H 'Authorization: Bearer '\"$ACCESS_TOKEN_2\"").doesNotContain(AT2);
    }

    @Test
    void a_revoked_or_introspected_token_hinted_as_refresh_token_is_REFRESH_TOKEN() {
        String curl = CurlExport.of(masked(null, List.of(), "token=" + RT + "&token_type_hint=refresh_token",
                "application/x-www-form-urlencoded"));
        assertThat(curl).contains("--data-raw 'token='\"$REFRESH_TOKEN\"'&token_type_hint=refresh_token'")
                .doesNotContain("ACCESS_TOKEN").doesNotContain(RT);
    }

    @Test
    void a_credential_under_no_known_name_is_a_generic_SECRET_variable() {
        String curl = CurlExport.of(masked("session_token=abc123secret&x=" + AT, List.of(), null, null));
        assertThat(curl).contains("?session_token='\"$SECRET_SESSION_TOKEN\"'&x='\"$SECRET_X\"")
                .doesNotContain("abc123secret").doesNotContain(AT);
        // A token with nothing naming it.
        String bare = CurlExport.of(base().path("/introspect/«token:AAAAAAAAAAAAAAAAAAAAAA»").build());
        assertThat(bare).contains("/introspect/'\"$SECRET_TOKEN\"");
    }

    /** Whatever a captured value holds, the command runs curl with exactly that value and nothing else. */
    @Test
    void hostile_values_cannot_escape_their_quotes_in_a_real_shell() throws Exception {
        String evil = "a'; touch /tmp/pwned-tokentrail; echo '$(id)`id`\"$HOME\"\u0000\r\nX: y";
        String curl = CurlExport.of(base().path("/p'$(id)").requestHeaders(List.of(new Header("X-Evil", evil))).build());
        // Replace curl by printf so the shell shows the words it would pass.
        String script = curl.replaceFirst("(?m)^curl", "printf '[%s]\\\\n'");
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("[https://api.example/p'$(id)]")
                .contains("[X-Evil: a'; touch /tmp/pwned-tokentrail; echo '$(id)`id`\"$HOME\"");
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("/tmp/pwned-tokentrail"))).isFalse();
    }
}
