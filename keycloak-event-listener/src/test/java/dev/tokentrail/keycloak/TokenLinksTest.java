package dev.tokentrail.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenLinksTest {

    private static TokenEvent event(TokenEventType type, String user, String sid, String access, String refresh) {
        return new TokenEvent("e-" + System.nanoTime(), Instant.now(), type, null, "r", "web", user, sid, null,
                access, refresh, null, null, Map.of(), null, "n");
    }

    @Test
    void a_revoke_without_user_is_linked_through_the_token_id_seen_at_issue() {
        TokenLinks links = new TokenLinks(10);
        links.link(event(TokenEventType.ISSUED, "u1", "s1", "a1", "r1"));
        TokenEvent revoke = links.link(event(TokenEventType.REVOKED, null, null, "a1", null));
        assertThat(revoke.userId()).isEqualTo("u1");
        assertThat(revoke.sessionId()).isEqualTo("s1");
        assertThat(revoke.details()).containsKey("linked_by");
    }

    @Test
    void memory_is_bounded_and_unknown_tokens_stay_unlinked() {
        TokenLinks links = new TokenLinks(2);
        links.link(event(TokenEventType.ISSUED, "u1", "s1", "a1", null));
        links.link(event(TokenEventType.ISSUED, "u2", "s2", "a2", null));
        links.link(event(TokenEventType.ISSUED, "u3", "s3", "a3", null));
        assertThat(links.size()).isEqualTo(2);
        assertThat(links.link(event(TokenEventType.REVOKED, null, null, "a1", null)).userId()).isNull();
        assertThat(links.link(event(TokenEventType.REVOKED, null, null, "zz", null)).userId()).isNull();
    }
}
