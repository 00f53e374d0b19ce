package dev.tokentrail.viewer.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Header;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
                .contains("-H 'X-Api-Key: '\"$X_API_KEY\"")
                .contains("-H 'Proxy-Authorization: Basic '\"$ACCESS_TOKEN\"")
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
