package dev.tokentrail.index.model;

import static dev.tokentrail.index.identity.TokenCases.T1;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TokenEvent}'s own guard on its details: no adapter can store a secret-named value. */
class TokenEventDetailsTest {

    private static TokenEvent event(Map<String, String> details) {
        return new TokenEvent("e1", Instant.parse("2026-12-01T10:00:00Z"), TokenEventType.OTHER, "UPDATE_PASSWORD",
                "shop", "web", "u1", "s1", "10.0.0.5", null, null, null, null, details, null, "kc-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"password", "newPassword", "new-password", "NEW_PASSWORD", "x_client_secret",
        "clientSecret", "Client-Secret", "client.secret", "refreshToken", "my_api_key", "CODE", "code_verifier",
        "refresh_token", "password_hint", "refresh_token_value", "id_password", "typePassword"})
    void aSecretNameInAnySpellingIsMasked(String name) {
        TokenEvent e = event(Map.of(name, "hunter2"));
        assertThat(e.details()).containsEntry(name, "«masked:" + name + "»");
    }

    @ParameterizedTest
    @ValueSource(strings = {"grant_type", "scope", "username", "redirect_uri", "code_id", "auth_method", "reason"})
    void ordinaryNamesKeepTheirValues(String name) {
        assertThat(event(Map.of(name, "v-1")).details()).containsEntry(name, "v-1");
    }

    /** Keycloak's own names about a token or secret, which an investigator needs to read. */
    @ParameterizedTest
    @ValueSource(strings = {"refresh_token_sub", "refresh_token_type", "refresh_token_id", "credential_type",
        "client_secret_expires_at", "password_policy", "accessTokenExpiresIn", "client_auth_method_secret_type"})
    void namesThatDescribeASecretKeepTheirValues(String name) {
        assertThat(event(Map.of(name, "v-1")).details()).containsEntry(name, "v-1");
    }

    @Test
    void aCutThroughATokenDropsTheWholeTokenNotJustItsTail() {
        String prefix = "x".repeat(TokenEvent.MAX_DETAIL_CHARS - 100) + " ";
        String value = prefix + T1; // T1 is longer than 100 characters: the cut falls inside it
        String kept = event(Map.of("note", value)).details().get("note");
        assertThat(kept).isEqualTo(prefix + "…").doesNotContain("eyJ");
    }

    @Test
    void aCutBetweenWordsKeepsTheFullLimit() {
        String value = "word ".repeat(400); // position 1024 is a space: no run is cut
        assertThat(event(Map.of("note", value)).details().get("note"))
                .isEqualTo(value.substring(0, TokenEvent.MAX_DETAIL_CHARS) + "…");
    }

    @Test
    void detailsBeyondTheLimitAreCountedOnceEvenWhenBoundedAgain() {
        var many = new LinkedHashMap<String, String>();
        for (int i = 0; i < TokenEvent.MAX_DETAILS + 5; i++) {
            many.put("k" + i, "v");
        }
        TokenEvent once = event(many);
        assertThat(once.details()).hasSize(TokenEvent.MAX_DETAILS + 1).containsEntry("…", "5 more details dropped");
        assertThat(event(once.details()).details()).isEqualTo(once.details());
    }
}
