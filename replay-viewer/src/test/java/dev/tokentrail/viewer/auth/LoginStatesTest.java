package dev.tokentrail.viewer.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class LoginStatesTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    final LoginStates states = new LoginStates(Duration.ofMinutes(10));
    final LoginStates.Pending login = new LoginStates.Pending(Secrets.random(24), Secrets.random(24), Pkce.create().verifier());

    @Test
    void a_sealed_login_opens_to_the_same_state_nonce_and_verifier_within_its_lifetime() {
        String sealed = states.seal(login, T0);
        assertThat(states.open(sealed, T0.plus(Duration.ofMinutes(9)))).hasValue(login);
    }

    @Test
    void the_cookie_shows_neither_the_verifier_nor_the_nonce() {
        String sealed = states.seal(login, T0);
        String decoded = new String(Base64.getUrlDecoder().decode(sealed), StandardCharsets.ISO_8859_1);
        for (String secret : new String[] {login.verifier(), login.nonce(), login.state()}) {
            assertThat(sealed).doesNotContain(secret);
            assertThat(decoded).doesNotContain(secret);
        }
        assertThat(login.toString()).doesNotContain(login.verifier()).doesNotContain(login.nonce());
    }

    @Test
    void an_expired_login_is_refused() {
        String sealed = states.seal(login, T0);
        assertThat(states.open(sealed, T0.plus(Duration.ofMinutes(10)))).isEmpty();
        assertThat(states.open(sealed, T0.minus(Duration.ofMinutes(1)))).as("started in the future").isEmpty();
    }

    @Test
    void any_altered_byte_is_refused() {
        byte[] raw = Base64.getUrlDecoder().decode(states.seal(login, T0));
        for (int i = 0; i < raw.length; i++) {
            byte[] bent = raw.clone();
            bent[i] ^= 0x01;
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(bent);
            assertThat(states.open(forged, T0.plusSeconds(1))).as("byte " + i).isEmpty();
        }
    }

    @Test
    void a_login_sealed_by_another_process_or_garbage_is_refused() {
        String elsewhere = new LoginStates(Duration.ofMinutes(10)).seal(login, T0);
        assertThat(states.open(elsewhere, T0.plusSeconds(1))).isEmpty();
        for (String junk : new String[] {null, "", "not base64!", "AAAA", login.state(), "A".repeat(5_000)}) {
            assertThat(states.open(junk, T0.plusSeconds(1))).as(String.valueOf(junk)).isEmpty();
        }
    }
}
