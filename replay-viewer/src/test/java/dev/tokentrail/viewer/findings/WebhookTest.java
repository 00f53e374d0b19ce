package dev.tokentrail.viewer.findings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentrail.index.findings.Rule;
import dev.tokentrail.index.model.Finding;
import dev.tokentrail.index.store.RecordCodec;
import dev.tokentrail.viewer.Receiver;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookTest {

    final ObjectMapper json = RecordCodec.mapper();

    static Finding finding(String id) {
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        return new Finding(id, t, "USE_AFTER_LOGOUT", Finding.Severity.HIGH, "Token jti-1 was accepted after logout.",
                List.of("ev-9", "x-9"), "jti-1", "sid-1", null, "alice", "198.51.100.4", t.minusSeconds(300),
                t.plusSeconds(300), "v1");
    }

    @Test
    void a_receiver_failing_twice_gets_the_finding_on_the_third_attempt_with_the_documented_payload() throws Exception {
        try (Receiver receiver = new Receiver(2);
             Webhook hook = new Webhook(receiver.url(), 10, 5, Duration.ofMillis(50), json, "http://viewer.example")) {
            assertThat(hook.offer(finding("F-1"))).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> hook.sent() == 1);
            assertThat(receiver.attempts.get()).isEqualTo(3);
            assertThat(hook.retries()).isEqualTo(2);
            assertThat(hook.failed()).isZero();
            JsonNode p = json.readTree(receiver.bodies.get(0));
            assertThat(p.get("type").asText()).isEqualTo("tokentrail.finding");
            assertThat(p.get("version").asInt()).isEqualTo(1);
            assertThat(p.get("finding").get("id").asText()).isEqualTo("F-1");
            assertThat(p.get("finding").get("rule").asText()).isEqualTo("USE_AFTER_LOGOUT");
            assertThat(p.get("finding").get("recordIds").size()).isEqualTo(2);
            assertThat(p.get("explanation").asText()).isEqualTo(Rule.USE_AFTER_LOGOUT.explanation());
            assertThat(p.get("links").get("finding").asText()).isEqualTo("http://viewer.example/#/finding/F-1");
            assertThat(p.get("links").get("timeline").asText()).isEqualTo("http://viewer.example/#/timeline/jti-1");
        }
    }

    @Test
    void a_receiver_that_never_succeeds_is_given_up_after_the_configured_attempts() throws Exception {
        try (Receiver receiver = new Receiver(Integer.MAX_VALUE);
             Webhook hook = new Webhook(receiver.url(), 10, 3, Duration.ofMillis(20), json, null)) {
            hook.offer(finding("F-2"));
            await().atMost(Duration.ofSeconds(20)).until(() -> hook.failed() == 1);
            assertThat(receiver.attempts.get()).isEqualTo(3);
            assertThat(hook.sent()).isZero();
        }
    }

    @Test
    void a_full_queue_drops_and_counts_instead_of_blocking() throws Exception {
        // Nothing listens on this port: every attempt fails, the sender is busy retrying the first finding.
        URI dead = URI.create("http://127.0.0.1:9/hook");
        try (Webhook hook = new Webhook(dead, 2, 2, Duration.ofSeconds(2), json, null)) {
            int accepted = 0;
            for (int i = 0; i < 10; i++) {
                if (hook.offer(finding("F-q" + i))) {
                    accepted++;
                }
            }
            // At most the queue (2) plus the one the sender took.
            assertThat(accepted).isBetween(2, 3);
            assertThat(hook.dropped()).isEqualTo(10 - accepted);
        }
    }
}
