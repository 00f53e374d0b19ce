package dev.tokentrail.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DemoRealmTest {

    @Test
    void the_realm_json_carries_this_runs_secrets_and_points_the_viewer_client_at_the_viewer() throws Exception {
        DemoRealm r = DemoRealm.random();
        JsonNode realm = Http.JSON.readTree(r.json("http://127.0.0.1:8470"));
        assertThat(realm.get("realm").asText()).isEqualTo(DemoRealm.NAME);
        assertThat(realm.get("eventsListeners").toString()).contains("tokentrail");
        assertThat(realm.toString()).contains(r.alicePassword(), r.auditorPassword(), r.webSecret(), r.serviceSecret())
                .doesNotContainPattern("@[A-Z_]+@");
        JsonNode viewer = client(realm, DemoRealm.VIEWER_CLIENT);
        assertThat(viewer.get("publicClient").asBoolean()).isTrue();
        assertThat(viewer.get("redirectUris").get(0).asText()).isEqualTo("http://127.0.0.1:8470/auth/callback");
        assertThat(client(realm, DemoRealm.SERVICE_CLIENT).get("serviceAccountsEnabled").asBoolean()).isTrue();
        JsonNode auditor = realm.get("users").get(1);
        assertThat(auditor.get("username").asText()).isEqualTo("auditor");
        assertThat(auditor.get("realmRoles").toString()).contains(DemoRealm.AUDITOR_ROLE);
        assertThat(realm.get("users").get(0).has("realmRoles")).as("alice holds no viewer role").isFalse();
    }

    @Test
    void every_run_gets_different_credentials() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            assertThat(seen.addAll(DemoRealm.random().secrets())).isTrue();
        }
        assertThat(seen).hasSize(100);
    }

    private static JsonNode client(JsonNode realm, String id) {
        for (JsonNode c : realm.get("clients")) {
            if (c.get("clientId").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no client " + id);
    }
}
