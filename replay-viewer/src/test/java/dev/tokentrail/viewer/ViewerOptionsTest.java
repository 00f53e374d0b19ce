package dev.tokentrail.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViewerOptionsTest {

    @TempDir
    Path root;

    @Test
    void defaults_bind_loopback_in_local_mode() {
        ViewerOptions o = ViewerOptions.parse(new String[] {"--data", root.toString()}, Map.of());
        assertThat(o.server().host()).isEqualTo("127.0.0.1");
        assertThat(o.server().port()).isEqualTo(8470);
        assertThat(o.security().oidcMode()).isFalse();
        assertThat(o.security().localToken()).isNull();
    }

    @Test
    void oidc_options_and_secrets_from_the_environment() {
        ViewerOptions o = ViewerOptions.parse(new String[] {"--data=" + root, "--port", "9000", "--oidc-issuer",
                "https://idp.example/realms/shop/", "--oidc-role", "auditor"},
                Map.of(ViewerOptions.ENV_CLIENT_SECRET, "s3cret-value"));
        assertThat(o.security().oidc().issuer().toString()).isEqualTo("https://idp.example/realms/shop");
        assertThat(o.security().oidc().redirectUri().toString()).isEqualTo("http://127.0.0.1:9000/auth/callback");
        assertThat(o.security().oidc().role()).isEqualTo("auditor");
        assertThat(o.security().toString()).doesNotContain("s3cret-value");
    }

    @Test
    void bad_input_names_what_to_fix() {
        assertThatThrownBy(() -> ViewerOptions.parse(new String[] {}, Map.of())).hasMessageContaining("--data");
        assertThatThrownBy(() -> ViewerOptions.parse(new String[] {"--data", root.resolve("nope").toString()}, Map.of()))
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> ViewerOptions.parse(new String[] {"--data", root.toString(), "--port", "x"}, Map.of()))
                .hasMessageContaining("--port");
        assertThatThrownBy(() -> ViewerOptions.parse(new String[] {"--data", root.toString(), "--bogus", "1"}, Map.of()))
                .hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> ViewerOptions.parse(new String[] {"--data", root.toString()},
                Map.of(ViewerOptions.ENV_TOKEN, "short"))).hasMessageContaining("at least 24");
        assertThatThrownBy(() -> ViewerOptions.parse(new String[] {"--data", root.toString(), "--session-ttl", "8h"},
                Map.of())).hasMessageContaining("ISO-8601");
    }

    @Test
    void findings_thresholds_node_and_webhook_are_options_with_clear_errors() {
        ViewerOptions o = ViewerOptions.parse(new String[] {"--data", root.toString(), "--node", "v2", "--burst-max", "50",
                "--spread-max-peers=5", "--findings-lag", "PT30S", "--trusted-proxy", "10.0.0.2", "--webhook",
                "https://hooks.example/tokentrail"}, Map.of());
        org.assertj.core.api.Assertions.assertThat(o.server().node()).isEqualTo("v2");
        org.assertj.core.api.Assertions.assertThat(o.findings().rules().burstMaxRequests()).isEqualTo(50);
        org.assertj.core.api.Assertions.assertThat(o.findings().rules().spreadMaxPeers()).isEqualTo(5);
        org.assertj.core.api.Assertions.assertThat(o.findings().rules().stormMaxPerPeer()).isEqualTo(30);
        org.assertj.core.api.Assertions.assertThat(o.findings().rules().trustedProxies()).containsExactly("10.0.0.2");
        org.assertj.core.api.Assertions.assertThat(o.findings().lag()).hasSeconds(30);
        org.assertj.core.api.Assertions.assertThat(o.findings().webhook()).hasHost("hooks.example");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ViewerOptions.parse(
                new String[] {"--data", root.toString(), "--burst-max", "0"}, Map.of()))
                .isInstanceOf(ViewerOptions.UsageException.class).hasMessageContaining("--burst-max");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ViewerOptions.parse(
                new String[] {"--data", root.toString(), "--webhook", "file:///etc/passwd"}, Map.of()))
                .isInstanceOf(ViewerOptions.UsageException.class).hasMessageContaining("http");
    }

    @Test
    void the_live_tails_per_poll_cap_defaults_to_1000_and_is_an_option() {
        assertThat(ViewerOptions.parse(new String[] {"--data", root.toString()}, Map.of()).live().tailMaxPerTick())
                .isEqualTo(1_000);
        assertThat(ViewerOptions.parse(new String[] {"--data", root.toString(), "--tail-max", "250"}, Map.of()).live()
                .tailMaxPerTick()).isEqualTo(250);
        assertThatThrownBy(() -> ViewerOptions.parse(new String[] {"--data", root.toString(), "--tail-max", "0"}, Map.of()))
                .isInstanceOf(ViewerOptions.UsageException.class).hasMessageContaining("--tail-max");
        // A browser renders every row it is sent: a flood is refused at start-up, not in the browser.
        assertThatThrownBy(() -> ViewerOptions.parse(new String[] {"--data", root.toString(), "--tail-max", "1000000"},
                Map.of())).isInstanceOf(ViewerOptions.UsageException.class).hasMessageContaining("--tail-max");
    }
}
