package dev.tokentrail.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;

class ListenerConfigTest {

    private static ListenerConfig parse(Map<String, String> options) {
        return ListenerConfig.parse(options::get, "/opt/keycloak");
    }

    @Test
    void defaults_live_under_keycloaks_data_directory() {
        ListenerConfig c = parse(Map.of());
        assertThat(c.dataRoot()).isEqualTo(Path.of("/opt/keycloak/data/tokentrail"));
        assertThat(c.node()).isNotBlank();
        assertThat(c.queueSize()).isEqualTo(65_536);
        assertThat(c.commitInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.adminEvents()).isTrue();
        assertThat(c.allRealms()).isFalse();
        assertThat(c.maxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(c.maxBytes()).isZero();
        assertThat(c.metricsLogInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.background()).isTrue();
        assertThat(c.shardConfig().background()).isTrue();
        assertThat(c.eventTypes()).contains(EventType.LOGIN, EventType.LOGIN_ERROR, EventType.REFRESH_TOKEN_ERROR,
                EventType.USER_SESSION_DELETED).doesNotContain(EventType.UPDATE_PROFILE);
        assertThat(c.shardConfig().directory()).isEqualTo(Path.of("/opt/keycloak/data/tokentrail/keycloak-" + c.node()));
    }

    @Test
    void every_option_is_read() {
        Map<String, String> o = new HashMap<>();
        o.put("data-root", "/var/lib/tokentrail");
        o.put("node-name", "kc-2");
        o.put("queue-size", "1000");
        o.put("commit-interval", "250ms");
        o.put("admin-events", "false");
        o.put("include-events", "login, refresh_token,LOGOUT");
        o.put("exclude-events", "LOGOUT");
        o.put("all-realms", "TRUE");
        o.put("max-age", "12h");
        o.put("max-size", "5GB");
        o.put("metrics-log-interval", "0");
        o.put("cpu-priority", "normal");
        ListenerConfig c = parse(o);
        assertThat(c.dataRoot()).isEqualTo(Path.of("/var/lib/tokentrail"));
        assertThat(c.node()).isEqualTo("kc-2");
        assertThat(c.queueSize()).isEqualTo(1000);
        assertThat(c.commitInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.adminEvents()).isFalse();
        assertThat(c.eventTypes()).containsExactlyInAnyOrder(EventType.LOGIN, EventType.REFRESH_TOKEN);
        assertThat(c.allRealms()).isTrue();
        assertThat(c.maxAge()).isEqualTo(Duration.ofHours(12));
        assertThat(c.maxBytes()).isEqualTo(5L << 30);
        assertThat(c.metricsLogInterval()).isZero();
        assertThat(c.background()).isFalse();
        assertThat(c.shardConfig().background()).isFalse();
        assertThat(parse(Map.of("max-age", "none")).maxAge()).isNull();
        assertThat(parse(Map.of("commit-interval", "PT2S")).commitInterval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void a_bad_value_names_the_option_in_both_forms() {
        assertThatThrownBy(() -> parse(Map.of("queue-size", "lots")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'lots'")
                .hasMessageContaining("--spi-events-listener--tokentrail--queue-size")
                .hasMessageContaining("KC_SPI_EVENTS_LISTENER__TOKENTRAIL__QUEUE_SIZE");
        assertThatThrownBy(() -> parse(Map.of("queue-size", "0"))).hasMessageContaining("between 1 and");
        assertThatThrownBy(() -> parse(Map.of("cpu-priority", "high")))
                .hasMessageContaining("KC_SPI_EVENTS_LISTENER__TOKENTRAIL__CPU_PRIORITY")
                .hasMessageContaining("background or normal");
        assertThatThrownBy(() -> parse(Map.of("commit-interval", "soon"))).hasMessageContaining("commit-interval");
        assertThatThrownBy(() -> parse(Map.of("commit-interval", "0"))).hasMessageContaining("commit-interval");
        assertThatThrownBy(() -> parse(Map.of("admin-events", "yes"))).hasMessageContaining("true or false");
        assertThatThrownBy(() -> parse(Map.of("all-realms", "1"))).hasMessageContaining("all-realms");
        assertThatThrownBy(() -> parse(Map.of("include-events", "LOGIN,LOGON")))
                .hasMessageContaining("[LOGON]").hasMessageContaining("include-events");
        assertThatThrownBy(() -> parse(Map.of("exclude-events", "NOPE"))).hasMessageContaining("exclude-events");
        assertThatThrownBy(() -> parse(Map.of("max-age", "-1d"))).hasMessageContaining("max-age");
        assertThatThrownBy(() -> parse(Map.of("max-size", "12 parsecs"))).hasMessageContaining("max-size");
        assertThatThrownBy(() -> parse(Map.of("max-size", "10KB"))).hasMessageContaining("at least 1MB");
        assertThatThrownBy(() -> parse(Map.of("node-name", "../etc"))).hasMessageContaining("node-name");
    }

    @Test
    void metadata_describes_every_option() {
        assertThat(ListenerConfig.metadata()).extracting(p -> p.getName()).containsExactlyInAnyOrder(
                "data-root", "node-name", "queue-size", "commit-interval", "admin-events", "include-events",
                "exclude-events", "all-realms", "max-age", "max-size", "metrics-log-interval", "cpu-priority");
    }
}
