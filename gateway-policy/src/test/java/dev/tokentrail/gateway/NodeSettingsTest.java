package dev.tokentrail.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeSettingsTest {

    @Test
    void defaults_put_the_data_under_the_gateway_home() {
        NodeSettings s = NodeSettings.from(Map.of("gravitee.home", "/opt/graviteeio-gateway")::get);
        assertThat(s.enabled()).isTrue();
        assertThat(s.dataRoot()).isEqualTo(Path.of("/opt/graviteeio-gateway/tokentrail"));
        assertThat(s.queueCapacity()).isEqualTo(65_536);
        assertThat(s.commitInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.maxAge()).isNull();
        assertThat(s.maxBytes()).isZero();
        assertThat(s.background()).isTrue();
        assertThat(NodeRecorder.shardConfig(s).background()).isTrue();
    }

    @Test
    void capture_can_be_given_normal_cpu_priority_and_nothing_else() {
        NodeSettings s = NodeSettings.from(Map.of("tokentrail.cpu.priority", "Normal")::get);
        assertThat(s.background()).isFalse();
        assertThat(NodeRecorder.shardConfig(s).background()).isFalse();
        assertThatThrownBy(() -> NodeSettings.from(Map.of("tokentrail.cpu.priority", "high")::get))
                .hasMessageContaining("TOKENTRAIL_CPU_PRIORITY")
                .hasMessageContaining("background or normal");
    }

    @Test
    void every_setting_is_read_with_units() {
        NodeSettings s = NodeSettings.from(Map.of(
                "tokentrail.data.root", "/data/tt",
                "tokentrail.node", "gw-eu-1",
                "tokentrail.queue.capacity", "10_000",
                "tokentrail.commit.interval", "500ms",
                "tokentrail.retention.max-age", "30d",
                "tokentrail.retention.max-bytes", "10g")::get);
        assertThat(s.dataRoot()).isEqualTo(Path.of("/data/tt"));
        assertThat(s.resolvedNode()).isEqualTo("gw-eu-1");
        assertThat(s.queueCapacity()).isEqualTo(10_000);
        assertThat(s.commitInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.maxAge()).isEqualTo(Duration.ofDays(30));
        assertThat(s.maxBytes()).isEqualTo(10L << 30);
        assertThat(NodeRecorder.shardConfig(s).directory()).isEqualTo(Path.of("/data/tt/gateway-gw-eu-1"));
    }

    @Test
    void iso_durations_and_plain_byte_counts_are_accepted() {
        assertThat(NodeSettings.parseDuration("x", "PT2S", null)).isEqualTo(Duration.ofSeconds(2));
        assertThat(NodeSettings.parseSize("x", "1048576")).isEqualTo(1_048_576);
        assertThat(NodeSettings.parseSize("x", "512MB")).isEqualTo(512L << 20);
    }

    @Test
    void bad_values_are_refused_with_the_setting_its_variable_and_what_is_expected() {
        assertThatThrownBy(() -> NodeSettings.from(Map.of("tokentrail.commit.interval", "soon")::get))
                .hasMessageContaining("tokentrail.commit.interval")
                .hasMessageContaining("TOKENTRAIL_COMMIT_INTERVAL")
                .hasMessageContaining("'soon'")
                .hasMessageContaining("500ms");
        assertThatThrownBy(() -> NodeSettings.from(Map.of("tokentrail.queue.capacity", "0")::get))
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> NodeSettings.from(Map.of("tokentrail.retention.max-bytes", "-1")::get))
                .hasMessageContaining("TOKENTRAIL_RETENTION_MAX_BYTES");
    }

    @Test
    void the_node_can_be_switched_off() {
        assertThat(NodeSettings.from(Map.of("tokentrail.enabled", "false")::get).enabled()).isFalse();
    }
}
