package dev.tokentrail.viewer.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PkceTest {

    @Test
    void s256_challenge_matches_rfc_7636_appendix_b() {
        assertThat(Pkce.challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void verifiers_are_43_url_safe_characters_and_never_repeat() {
        Pkce a = Pkce.create();
        Pkce b = Pkce.create();
        assertThat(a.verifier()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(a.verifier()).isNotEqualTo(b.verifier());
        assertThat(a.toString()).doesNotContain(a.verifier());
    }
}
