package dev.tokentrail.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.mask.MaskingPolicy;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.keycloak.events.Event;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.AuthDetails;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;

class EventTranslatorTest {

    private final Fingerprinter fp = Fingerprinter.withKey("event-translator-test-key-0123456".getBytes());
    private final MaskingPolicy masking = MaskingPolicy.defaults(fp);
    private final EventTranslator translator = new EventTranslator("node-1", ListenerConfig.DEFAULT_EVENT_TYPES,
            masking);

    private static Event event(EventType type, String sessionId, Map<String, String> details) {
        Event e = new Event();
        e.setId("ev-1");
        e.setTime(1_700_000_000_123L);
        e.setType(type);
        e.setRealmId("realm-uuid");
        e.setRealmName("shop");
        e.setClientId("web");
        e.setUserId("user-1");
        e.setSessionId(sessionId);
        e.setIpAddress("10.1.2.3");
        e.setDetails(new HashMap<>(details));
        return e;
    }

    @Test
    void password_grant_login_is_an_issue_with_both_token_ids_and_the_session() {
        TokenEvent t = translator.user(event(EventType.LOGIN, "sid-1", Map.of("token_id", "onrtro:a1",
                "refresh_token_id", "r1", "grant_type", "password", "scope", "openid", "username", "alice")));

        assertThat(t.type()).isEqualTo(TokenEventType.ISSUED);
        assertThat(t.eventName()).isEqualTo("LOGIN");
        assertThat(t.accessTokenId()).isEqualTo("onrtro:a1");
        assertThat(t.refreshTokenId()).isEqualTo("r1");
        assertThat(t.sessionId()).isEqualTo("sid-1");
        assertThat(t.time()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
        assertThat(t.realm()).isEqualTo("shop");
        assertThat(t.ip()).isEqualTo("10.1.2.3");
        assertThat(t.node()).isEqualTo("node-1");
        assertThat(t.details()).containsEntry("grant_type", "password").containsEntry("scope", "openid")
                .doesNotContainKeys("token_id", "refresh_token_id");
    }

    @Test
    void browser_login_without_tokens_starts_a_session() {
        TokenEvent t = translator.user(event(EventType.LOGIN, "sid-1", Map.of("auth_type", "code", "code_id", "c1")));
        assertThat(t.type()).isEqualTo(TokenEventType.SESSION_STARTED);
        assertThat(t.tokenIds()).isEmpty();
    }

    @Test
    void refresh_keeps_old_and_rotated_refresh_ids_apart() {
        TokenEvent t = translator.user(event(EventType.REFRESH_TOKEN, "sid-1", Map.of("token_id", "onrtrt:a2",
                "refresh_token_id", "r1", "updated_refresh_token_id", "r2", "refresh_token_sub", "user-1")));
        assertThat(t.type()).isEqualTo(TokenEventType.REFRESHED);
        assertThat(t.accessTokenId()).isEqualTo("onrtrt:a2");
        assertThat(t.refreshTokenId()).isEqualTo("r1");
        assertThat(t.newRefreshTokenId()).isEqualTo("r2");
        // The name contains "refresh_token" but describes it: the user id it carries stays readable.
        assertThat(t.details()).containsEntry("refresh_token_sub", "user-1");
    }

    @Test
    void error_events_are_errors_with_their_code_and_reason() {
        Event e = event(EventType.REFRESH_TOKEN_ERROR, null, Map.of("reason", "Session not active",
                "refresh_token_id", "r1"));
        e.setError("invalid_token");
        TokenEvent t = translator.user(e);
        assertThat(t.type()).isEqualTo(TokenEventType.ERROR);
        assertThat(t.eventName()).isEqualTo("REFRESH_TOKEN_ERROR");
        assertThat(t.error()).isEqualTo("invalid_token");
        assertThat(t.refreshTokenId()).isEqualTo("r1");
        assertThat(t.details()).containsEntry("reason", "Session not active");
    }

    @Test
    void introspecting_a_refresh_token_names_it_as_a_refresh_token() {
        TokenEvent t = translator.user(event(EventType.INTROSPECT_TOKEN, "sid-1", Map.of("token_id", "r9",
                "token_type", "Refresh")));
        assertThat(t.refreshTokenId()).isEqualTo("r9");
        assertThat(t.accessTokenId()).isNull();
    }

    @Test
    void events_outside_the_token_life_are_not_recorded_unless_included() {
        assertThat(translator.user(event(EventType.UPDATE_PROFILE, "sid-1", Map.of()))).isNull();
        var all = new EventTranslator("n", ListenerConfig.parseTypes("x", "*", Map.<EventType, Object>of().keySet()),
                masking);
        assertThat(all.user(event(EventType.UPDATE_PROFILE, "sid-1", Map.of())).type())
                .isEqualTo(TokenEventType.OTHER);
    }

    @Test
    void secrets_never_survive_in_details() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        TokenEvent t = translator.user(event(EventType.LOGIN_ERROR, null, Map.of("password", "hunter2",
                "client_secret", "s3cr3t", "code", "auth-code-value", "custom_note", "bearer " + jwt,
                "token_id", jwt)));
        String all = t.toString();
        assertThat(all).doesNotContain("hunter2", "s3cr3t", "auth-code-value", jwt);
        assertThat(t.accessTokenId()).as("a token value is no token id").isNull();
        assertThat(t.details().get("custom_note")).isEqualTo("bearer " + fp.reference(jwt));
    }

    @Test
    void secret_names_in_any_spelling_and_tokens_in_any_detail_are_masked_by_the_core() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
        Event e = event(EventType.UPDATE_PASSWORD, "sid-1", Map.of("newPassword", "hunter2",
                "new-password", "hunter3", "x_client_secret", "s3cr3t", "clientSecret", "s3cr3t2",
                "reason", "retry with password=hunter4", "redirect_uri", "https://app/cb#id_token=" + jwt));
        TokenEvent t = translator.user(e);
        assertThat(t.toString()).doesNotContain("hunter2", "hunter3", "hunter4", "s3cr3t", "c2lnbmF0dXJl");
        assertThat(t.details()).containsEntry("newPassword", "«masked:newPassword»")
                .containsEntry("new-password", "«masked:new-password»")
                .containsEntry("x_client_secret", "«masked:x_client_secret»")
                .containsEntry("clientSecret", "«masked:clientSecret»")
                .containsEntry("reason", "retry with password=«masked:password»")
                .containsEntry("redirect_uri", "https://app/cb#id_token=" + fp.reference(jwt));

        AdminEvent a = admin(OperationType.DELETE, ResourceType.USER_SESSION, "sessions/" + jwt, null);
        TokenEvent adm = translator.admin(a, EventTranslator.Lookup.NONE);
        assertThat(adm.details()).containsEntry("resource_path", "sessions/" + fp.reference(jwt));
        assertThat(adm.sessionId()).as("a token value is no session id").isNull();
    }

    private static AdminEvent admin(OperationType op, ResourceType type, String path, String representation) {
        AdminEvent a = new AdminEvent();
        a.setId("adm-1");
        a.setTime(1_700_000_000_000L);
        a.setRealmId("realm-uuid");
        a.setRealmName("shop");
        a.setOperationType(op);
        a.setResourceType(type);
        a.setResourcePath(path);
        a.setRepresentation(representation);
        AuthDetails auth = new AuthDetails();
        auth.setRealmId("master-uuid");
        auth.setRealmName("master");
        auth.setClientId("admin-cli-uuid");
        auth.setUserId("admin-1");
        auth.setIpAddress("192.0.2.7");
        a.setAuthDetails(auth);
        return a;
    }

    @Test
    void admin_logout_of_a_user_ends_their_sessions_with_actor_and_ip() {
        TokenEvent t = translator.admin(admin(OperationType.ACTION, ResourceType.USER, "users/u-42/logout", null),
                EventTranslator.Lookup.NONE);
        assertThat(t.type()).isEqualTo(TokenEventType.SESSION_ENDED_BY_ADMIN);
        assertThat(t.type().endsSession()).isTrue();
        assertThat(t.userId()).isEqualTo("u-42");
        assertThat(t.actor()).isEqualTo("admin-1");
        assertThat(t.ip()).isEqualTo("192.0.2.7");
        assertThat(t.realm()).isEqualTo("shop");
        assertThat(t.details()).containsEntry("admin_realm", "master").containsEntry("resource_path",
                "users/u-42/logout");
    }

    @Test
    void admin_events_that_end_sessions_or_invalidate_credentials_are_lifecycle_events() {
        var none = EventTranslator.Lookup.NONE;
        assertThat(translator.admin(admin(OperationType.DELETE, ResourceType.USER_SESSION, "sessions/s-1", null), none))
                .extracting(TokenEvent::type, TokenEvent::sessionId)
                .containsExactly(TokenEventType.SESSION_ENDED_BY_ADMIN, "s-1");
        assertThat(translator.admin(admin(OperationType.DELETE, ResourceType.USER, "users/u-1", null), none).type())
                .isEqualTo(TokenEventType.USER_DISABLED);
        assertThat(translator.admin(admin(OperationType.ACTION, ResourceType.USER, "users/u-1/reset-password", null),
                none).type()).isEqualTo(TokenEventType.CREDENTIALS_CHANGED);
        assertThat(translator.admin(admin(OperationType.ACTION, ResourceType.CLIENT, "clients/c-1/client-secret",
                null), none).type()).isEqualTo(TokenEventType.CLIENT_CHANGED);
        assertThat(translator.admin(admin(OperationType.DELETE, ResourceType.CLIENT, "clients/c-1",
                "{\"clientId\":\"web\"}"), none).clientId()).isEqualTo("web");
        assertThat(translator.admin(admin(OperationType.ACTION, ResourceType.REALM, "push-revocation", null), none)
                .type()).isEqualTo(TokenEventType.NOT_BEFORE_PUSHED);
        assertThat(translator.admin(admin(OperationType.ACTION, ResourceType.REALM, "logout-all", null), none)
                .type()).isEqualTo(TokenEventType.SESSION_ENDED_BY_ADMIN);
    }

    @Test
    void a_user_update_is_recorded_only_when_it_disables_the_user() {
        var enabled = new EventTranslator.Lookup() {
            @Override
            public Boolean userEnabled(String realmId, String userId) {
                return true;
            }

            @Override
            public String clientId(String realmId, String clientUuid) {
                return null;
            }
        };
        assertThat(translator.admin(admin(OperationType.UPDATE, ResourceType.USER, "users/u-1",
                "{\"username\":\"bob\",\"enabled\":false}"), enabled).type()).isEqualTo(TokenEventType.USER_DISABLED);
        assertThat(translator.admin(admin(OperationType.UPDATE, ResourceType.USER, "users/u-1", null), enabled))
                .isNull();
    }

    @Test
    void other_admin_operations_are_not_recorded() {
        assertThat(translator.admin(admin(OperationType.CREATE, ResourceType.REALM_ROLE, "roles/r", "{}"),
                EventTranslator.Lookup.NONE)).isNull();
        assertThat(translator.admin(admin(OperationType.UPDATE, ResourceType.CLIENT, "clients/c-1", "{}"),
                EventTranslator.Lookup.NONE)).isNull();
    }
}
