package dev.tokentrail.keycloak.it;

import static dev.tokentrail.keycloak.it.Oidc.fields;
import static dev.tokentrail.keycloak.it.Oidc.jti;
import static dev.tokentrail.keycloak.it.Oidc.sid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import dev.tokentrail.index.query.PageRequest;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.query.SearchQuery;
import dev.tokentrail.index.query.Timeline;
import dev.tokentrail.index.store.RecordCodec;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Every flow of the issue against one real Keycloak 26.7.4 with the built shaded jar, then the
 * shard read back through {@link ReplayReader}: each step recorded exactly once, with the jti and
 * sid of the tokens Keycloak actually returned.
 */
@ExtendWith(KeycloakExtension.class)
@ResourceLock(KeycloakExtension.HOME)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeycloakFlowsIT {

    static final String REALM = "tokentrail-it";
    static final String PASSWORD = "Alice-pw-7Qz!x9";
    static final String WEB_SECRET = "web-secret-K8v2pLq";
    static final String SVC_SECRET = "svc-secret-Zr4mW1t";
    static final String ROLLBACK_SECRET = "rollback-secret-Hh6";
    static final String WRONG_PASSWORD = "not-" + PASSWORD;
    static final String WRONG_SECRET = "svc-wrong-secret-Jd3e8Q";
    static final String REDIRECT = "http://127.0.0.1/callback";

    private KeycloakExtension.Running kc;
    private Oidc oidc;
    private ReplayReader reader;

    // What Keycloak returned, step by step.
    private String at1, rt1, sid1, at2, rt2, at3, rt3, exchanged, svcAt, codeAt, codeRt, sid2, at4, rt4, sid4;
    private String aliceId, adminId, sentinelAt;
    private String svcSessionState, exchangedSessionState, revokedRefreshError;
    private int revokedRefreshStatus, rollbackStatus, refreshAfterAdminLogoutStatus;
    private final List<String> returnedTokens = new ArrayList<>();
    /** Values of the browser flow's cookies: KEYCLOAK_IDENTITY, KC_RESTART ... are bearer credentials too. */
    private final List<String> cookieValues = new ArrayList<>();

    @BeforeAll
    void driveEveryFlow(KeycloakExtension.Running running) throws Exception {
        this.kc = running;
        this.oidc = new Oidc(kc.server().baseUrl(), REALM);
        var web = fields("client_id", "web", "client_secret", WEB_SECRET);

        // 1. password grant
        var r = oidc.token(with(web, "grant_type", "password", "username", "alice", "password", PASSWORD,
                "scope", "openid"));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        at1 = keep(r.text("access_token"));
        rt1 = keep(r.text("refresh_token"));
        keep(r.text("id_token"));
        sid1 = sid(at1);
        aliceId = Oidc.claims(at1).get("sub").asText();

        // 2. client credentials
        r = oidc.token(fields("grant_type", "client_credentials", "client_id", "svc", "client_secret", SVC_SECRET));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        svcAt = keep(r.text("access_token"));
        svcSessionState = r.text("session_state");

        // 3. browser authorization-code flow, cookies by hand
        browserLogin();

        // 4. refresh twice: rotation visible
        r = oidc.token(with(web, "grant_type", "refresh_token", "refresh_token", rt1));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        at2 = keep(r.text("access_token"));
        rt2 = keep(r.text("refresh_token"));
        keep(r.text("id_token"));
        r = oidc.token(with(web, "grant_type", "refresh_token", "refresh_token", rt2));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        at3 = keep(r.text("access_token"));
        rt3 = keep(r.text("refresh_token"));
        keep(r.text("id_token"));

        // 5. token exchange (standard token exchange V2)
        r = oidc.token(with(web, "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token", at3, "subject_token_type", "urn:ietf:params:oauth:token-type:access_token"));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        exchanged = keep(r.text("access_token"));
        exchangedSessionState = r.text("session_state");

        // 6. introspection, 7. userinfo
        r = oidc.post(oidc.endpoint("token/introspect"), with(web, "token", at3), Map.of());
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        assertThat(r.json().get("active").asBoolean()).as(r.describe()).isTrue();
        r = oidc.get(oidc.endpoint("userinfo"), Map.of("Authorization", "Bearer " + at3));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);

        // 8. revoke the code flow's access token, 9. then its refresh token
        r = oidc.post(oidc.endpoint("revoke"), with(web, "token", codeAt, "token_type_hint", "access_token"), Map.of());
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        r = oidc.post(oidc.endpoint("revoke"), with(web, "token", codeRt, "token_type_hint", "refresh_token"),
                Map.of());
        assertThat(r.status()).as(r.describe()).isEqualTo(200);

        // 10. refresh with the revoked refresh token
        r = oidc.token(with(web, "grant_type", "refresh_token", "refresh_token", codeRt));
        revokedRefreshStatus = r.status();
        revokedRefreshError = r.text("error");

        // 11. logout of the first session
        r = oidc.post(oidc.endpoint("logout"), with(web, "refresh_token", rt3), Map.of());
        assertThat(r.status()).as(r.describe()).isBetween(200, 204);

        // 12. wrong password, 13. wrong client secret
        r = oidc.token(with(web, "grant_type", "password", "username", "alice", "password", WRONG_PASSWORD));
        assertThat(r.status()).as(r.describe()).isIn(400, 401);
        assertThat(r.text("error")).isEqualTo("invalid_grant");
        r = oidc.token(fields("grant_type", "client_credentials", "client_id", "svc", "client_secret", WRONG_SECRET));
        assertThat(r.status()).as(r.describe()).isIn(400, 401);
        assertThat(r.text("error")).isEqualTo("unauthorized_client");

        // 14. an admin logs alice out of a fresh session; her refresh token then fails
        r = oidc.token(with(web, "grant_type", "password", "username", "alice", "password", PASSWORD));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        at4 = keep(r.text("access_token"));
        rt4 = keep(r.text("refresh_token"));
        sid4 = sid(at4);
        var admin = new Oidc(kc.server().baseUrl(), "master");
        r = admin.token(fields("grant_type", "password", "client_id", "admin-cli", "username",
                KeycloakServer.ADMIN_USER, "password", KeycloakServer.ADMIN_PASSWORD));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        String adminToken = keep(r.text("access_token"));
        // admin-cli gets lightweight access tokens (no sub): ask the admin API who the admin is.
        r = oidc.get(kc.server().baseUrl() + "/admin/realms/master/users?exact=true&username="
                + KeycloakServer.ADMIN_USER, Map.of("Authorization", "Bearer " + adminToken));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        adminId = r.json().get(0).get("id").asText();
        r = oidc.post(kc.server().baseUrl() + "/admin/realms/" + REALM + "/users/" + aliceId + "/logout", Map.of(),
                Map.of("Authorization", "Bearer " + adminToken));
        assertThat(r.status()).as(r.describe()).isEqualTo(204);
        r = oidc.token(with(web, "grant_type", "refresh_token", "refresh_token", rt4));
        refreshAfterAdminLogoutStatus = r.status();

        // 15. a request whose transaction rolls back after CLIENT_LOGIN fired
        r = oidc.token(fields("grant_type", "client_credentials", "client_id", RollbackTriggerListenerFactory.CLIENT,
                "client_secret", ROLLBACK_SECRET));
        rollbackStatus = r.status();
        if (r.text("access_token") != null) {
            keep(r.text("access_token"));
        }

        // Sentinel: once it is readable, everything sent before it has been committed.
        r = oidc.token(fields("grant_type", "client_credentials", "client_id", "svc", "client_secret", SVC_SECRET));
        sentinelAt = keep(r.text("access_token"));

        reader = ReplayReader.open(kc.dataRoot());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> !events(Map.of("token_id", jti(sentinelAt))).isEmpty());
    }

    @AfterAll
    void closeReader() {
        if (reader != null) {
            reader.close();
        }
    }

    private void browserLogin() throws Exception {
        Map<String, String> jar = new LinkedHashMap<>();
        String auth = oidc.endpoint("auth") + "?" + Oidc.form(fields("client_id", "web", "response_type", "code",
                "redirect_uri", REDIRECT, "scope", "openid", "state", "st-1", "nonce", "n-1"));
        var page = oidc.get(auth, Map.of());
        assertThat(page.status()).as(page.describe()).isEqualTo(200);
        String cookie = Oidc.cookies(page.raw(), jar);
        cookieValues.addAll(jar.values());
        Matcher m = Pattern.compile("action=\"([^\"]*login-actions/authenticate[^\"]*)\"").matcher(page.body());
        assertThat(m.find()).as("login form on the page (%s)", page.describe()).isTrue();
        String action = m.group(1).replace("&amp;", "&");
        var posted = oidc.post(action, fields("username", "alice", "password", PASSWORD, "credentialId", ""),
                Map.of("Cookie", cookie));
        assertThat(posted.status()).as(posted.describe()).isEqualTo(302);
        Oidc.cookies(posted.raw(), jar);
        cookieValues.addAll(jar.values());
        URI location = URI.create(posted.raw().headers().firstValue("Location").orElseThrow());
        // The location carries the code: only its path goes into a failure message.
        assertThat(location.toString().startsWith(REDIRECT)).as("redirected to %s", location.getPath()).isTrue();
        String code = query(location).get("code");
        var r = oidc.token(fields("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT,
                "client_id", "web", "client_secret", WEB_SECRET));
        assertThat(r.status()).as(r.describe()).isEqualTo(200);
        keep(code);
        codeAt = keep(r.text("access_token"));
        codeRt = keep(r.text("refresh_token"));
        keep(r.text("id_token"));
        sid2 = sid(codeAt);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : uri.getRawQuery().split("&")) {
            String[] kv = p.split("=", 2);
            out.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> m = new LinkedHashMap<>(base);
        m.putAll(fields(kv));
        return m;
    }

    private String keep(String token) {
        assertThat(token).isNotBlank();
        returnedTokens.add(token);
        return token;
    }

    private List<TokenEvent> events(Map<String, String> filters) {
        reader.refresh();
        Map<String, String> f = new LinkedHashMap<>(filters);
        f.put("kind", "event");
        var page = reader.search(new SearchQuery(null, f, null, null, false), PageRequest.first(PageRequest.MAX_SIZE));
        return page.items().stream().filter(TokenEvent.class::isInstance).map(TokenEvent.class::cast).toList();
    }

    private TokenEvent exactlyOne(Map<String, String> filters) {
        List<TokenEvent> found = events(filters);
        assertThat(found).as("events matching %s", filters).hasSize(1);
        return found.getFirst();
    }

    @Test
    void password_grant_is_one_issue_with_the_returned_jtis_and_sid() {
        TokenEvent e = exactlyOne(Map.of("token_id", jti(at1), "event_name", "LOGIN"));
        assertThat(e.type()).isEqualTo(TokenEventType.ISSUED);
        assertThat(e.accessTokenId()).isEqualTo(jti(at1));
        assertThat(e.refreshTokenId()).isEqualTo(jti(rt1));
        assertThat(e.sessionId()).isEqualTo(sid1).isNotNull();
        assertThat(e.userId()).isEqualTo(aliceId);
        assertThat(e.clientId()).isEqualTo("web");
        assertThat(e.realm()).isEqualTo(REALM);
        assertThat(e.node()).isEqualTo("it-node");
        assertThat(e.ip()).isEqualTo("127.0.0.1");
        assertThat(e.details()).containsEntry("grant_type", "password");
    }

    @Test
    void client_credentials_is_one_issue_without_a_session() {
        TokenEvent e = exactlyOne(Map.of("token_id", jti(svcAt), "event_name", "CLIENT_LOGIN"));
        assertThat(e.type()).isEqualTo(TokenEventType.ISSUED);
        assertThat(e.clientId()).isEqualTo("svc");
        assertThat(e.accessTokenId()).isEqualTo(jti(svcAt));
        assertThat(e.userId()).as("the service account").isEqualTo(Oidc.claims(svcAt).get("sub").asText());
        // Keycloak 26.7 gives client credentials no user session: no sid, no session_state, no sessionId.
        assertThat(sid(svcAt)).isNull();
        assertThat(svcSessionState).isNull();
        assertThat(e.sessionId()).isNull();
        assertThat(e.refreshTokenId()).isNull();
    }

    @Test
    void browser_code_flow_is_a_session_start_then_one_code_to_token() {
        TokenEvent login = exactlyOne(Map.of("session_id", sid2, "event_name", "LOGIN"));
        assertThat(login.type()).isEqualTo(TokenEventType.SESSION_STARTED);
        assertThat(login.tokenIds()).isEmpty();
        TokenEvent code = exactlyOne(Map.of("token_id", jti(codeAt), "event_name", "CODE_TO_TOKEN"));
        assertThat(code.type()).isEqualTo(TokenEventType.ISSUED);
        assertThat(code.refreshTokenId()).isEqualTo(jti(codeRt));
        assertThat(code.sessionId()).isEqualTo(sid2);
        assertThat(code.details()).doesNotContainKey("code");
    }

    @Test
    void each_refresh_is_recorded_once_with_old_and_rotated_refresh_ids() {
        assertThat(jti(rt2)).isNotEqualTo(jti(rt1));
        TokenEvent first = exactlyOne(Map.of("token_id", jti(at2), "event_name", "REFRESH_TOKEN"));
        assertThat(first.refreshTokenId()).isEqualTo(jti(rt1));
        assertThat(first.newRefreshTokenId()).isEqualTo(jti(rt2));
        assertThat(first.sessionId()).isEqualTo(sid1).isEqualTo(sid(at2));
        TokenEvent second = exactlyOne(Map.of("token_id", jti(at3), "event_name", "REFRESH_TOKEN"));
        assertThat(second.refreshTokenId()).isEqualTo(jti(rt2));
        assertThat(second.newRefreshTokenId()).isEqualTo(jti(rt3));
        assertThat(second.sessionId()).isEqualTo(sid(at3));
        assertThat(second.type()).isEqualTo(TokenEventType.REFRESHED);
    }

    @Test
    void token_exchange_is_recorded_once_in_the_subjects_session() {
        TokenEvent e = exactlyOne(Map.of("token_id", jti(exchanged), "event_name", "TOKEN_EXCHANGE"));
        assertThat(e.type()).isEqualTo(TokenEventType.EXCHANGED);
        // Standard token exchange V2 keeps the subject token's session: the new token carries its sid.
        assertThat(sid(exchanged)).isEqualTo(sid1).isNotNull();
        assertThat(exchangedSessionState).isEqualTo(sid1);
        assertThat(e.sessionId()).isEqualTo(sid1);
        assertThat(e.accessTokenId()).isEqualTo(jti(exchanged));
        assertThat(e.userId()).isEqualTo(aliceId);
    }

    @Test
    void introspection_and_userinfo_are_recorded_once() {
        TokenEvent i = exactlyOne(Map.of("token_id", jti(at3), "event_name", "INTROSPECT_TOKEN"));
        assertThat(i.type()).isEqualTo(TokenEventType.INTROSPECTED);
        assertThat(i.accessTokenId()).isEqualTo(jti(at3));
        assertThat(i.sessionId()).isEqualTo(sid(at3));
        TokenEvent u = exactlyOne(Map.of("session_id", sid1, "event_name", "USER_INFO_REQUEST"));
        assertThat(u.type()).isEqualTo(TokenEventType.USERINFO);
        assertThat(u.userId()).isEqualTo(aliceId);
    }

    @Test
    void revocations_are_recorded_once_and_linked_to_the_user_and_session() {
        TokenEvent access = exactlyOne(Map.of("token_id", jti(codeAt), "event_name", "REVOKE_GRANT"));
        assertThat(access.type()).isEqualTo(TokenEventType.REVOKED);
        assertThat(access.accessTokenId()).isEqualTo(jti(codeAt));
        assertThat(access.sessionId()).as("linked through the token id").isEqualTo(sid2);
        assertThat(access.userId()).isEqualTo(aliceId);
        TokenEvent refresh = exactlyOne(Map.of("token_id", jti(codeRt), "event_name", "REVOKE_GRANT"));
        assertThat(refresh.refreshTokenId()).isEqualTo(jti(codeRt));
        assertThat(refresh.sessionId()).isEqualTo(sid2);
    }

    @Test
    void a_refresh_with_a_revoked_token_is_one_error_linked_to_its_session() {
        assertThat(revokedRefreshStatus).isEqualTo(400);
        assertThat(revokedRefreshError).isEqualTo("invalid_grant");
        List<TokenEvent> errors = events(Map.of("event_name", "REFRESH_TOKEN_ERROR", "session_id", sid2));
        assertThat(errors).hasSize(1);
        TokenEvent error = errors.getFirst();
        assertThat(error.type()).isEqualTo(TokenEventType.ERROR);
        assertThat(error.error()).isNotBlank();
        assertThat(error.refreshTokenId()).as("the jti of the refresh token presented").isEqualTo(jti(codeRt));
        assertThat(error.userId()).isEqualTo(aliceId);
    }

    @Test
    void logout_is_recorded_once_and_ends_the_session() {
        TokenEvent e = exactlyOne(Map.of("session_id", sid1, "event_name", "LOGOUT"));
        assertThat(e.type()).isEqualTo(TokenEventType.LOGGED_OUT);
        assertThat(e.type().endsSession()).isTrue();
    }

    @Test
    void wrong_password_and_wrong_client_secret_are_one_error_each() {
        TokenEvent pw = exactlyOne(Map.of("event_name", "LOGIN_ERROR", "realm", REALM));
        assertThat(pw.error()).isEqualTo("invalid_user_credentials");
        assertThat(pw.userId()).isEqualTo(aliceId);
        assertThat(pw.clientId()).isEqualTo("web");
        TokenEvent secret = exactlyOne(Map.of("event_name", "CLIENT_LOGIN_ERROR", "realm", REALM));
        assertThat(secret.error()).isEqualTo("invalid_client_credentials");
        assertThat(secret.clientId()).isEqualTo("svc");
    }

    @Test
    void an_admin_logging_a_user_out_is_a_lifecycle_event_with_actor_and_ip() {
        TokenEvent e = exactlyOne(Map.of("type", "SESSION_ENDED_BY_ADMIN", "realm", REALM));
        assertThat(e.userId()).isEqualTo(aliceId);
        assertThat(e.actor()).isEqualTo(adminId);
        assertThat(e.ip()).isEqualTo("127.0.0.1");
        assertThat(e.details()).containsEntry("resource_path", "users/" + aliceId + "/logout");
        assertThat(refreshAfterAdminLogoutStatus).isEqualTo(400);
        List<TokenEvent> refused = events(Map.of("event_name", "REFRESH_TOKEN_ERROR", "session_id", sid4));
        assertThat(refused).hasSize(1);
        assertThat(refused.getFirst().refreshTokenId()).isEqualTo(jti(rt4));
    }

    @Test
    void a_rolled_back_request_leaves_no_event() throws Exception {
        assertThat(kc.server().logText().contains("simulated commit failure")).as("the rollback trigger fired").isTrue();
        assertThat(events(Map.of("client", RollbackTriggerListenerFactory.CLIENT))).isEmpty();
        String metrics = oidc.get(kc.server().managementUrl() + "/metrics", Map.of()).body();
        Matcher m = Pattern.compile("(?m)^tokentrail_events_rolled_back_total\\{[^}]*} (\\S+)").matcher(metrics);
        assertThat(m.find()).as("rolled-back counter on /metrics (status %d)", rollbackStatus).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void the_timeline_of_the_first_access_token_follows_the_refresh_chain_to_the_logout() {
        reader.refresh();
        Timeline t = reader.timeline(jti(at1), PageRequest.first(PageRequest.MAX_SIZE));
        assertThat(t.tokenIds()).contains(jti(at1), jti(rt1), jti(at2), jti(rt2), jti(at3), jti(rt3));
        List<TokenEvent> events = t.page().items().stream().filter(TokenEvent.class::isInstance)
                .map(TokenEvent.class::cast).toList();
        List<String> accessChain = events.stream().filter(e -> e.type() == TokenEventType.ISSUED
                || e.type() == TokenEventType.REFRESHED).map(TokenEvent::accessTokenId).toList();
        assertThat(accessChain).containsExactly(jti(at1), jti(at2), jti(at3));
        assertThat(events.getLast().eventName()).as("timeline %s", events.stream().map(TokenEvent::eventName)
                .toList()).isEqualTo("LOGOUT");
        assertThat(events.getLast().sessionId()).isEqualTo(sid1);
    }

    /** Everything secret the test sent or got: tokens, code, passwords, secrets, cookies, JWT signatures. */
    private List<String> secretsUsed() {
        List<String> secrets = new ArrayList<>(returnedTokens);
        secrets.addAll(List.of(PASSWORD, WRONG_PASSWORD, WEB_SECRET, SVC_SECRET, WRONG_SECRET, ROLLBACK_SECRET,
                KeycloakServer.ADMIN_PASSWORD));
        // A session id is recorded by design; any other cookie value long enough to be a credential is not.
        cookieValues.stream().filter(v -> v.length() >= 16 && !List.of(sid1, sid2, sid4).contains(v))
                .forEach(secrets::add);
        // Each JWT's signature alone is a secret-bearing fragment as well.
        List.copyOf(secrets).stream().filter(t -> t.split("\\.").length == 3).map(t -> t.split("\\.")[2])
                .forEach(secrets::add);
        return secrets;
    }

    /** Fails naming the place and the first characters of the secret found, never the secret. */
    private static void assertNoSecret(String where, String text, List<String> secrets) {
        for (String secret : secrets) {
            assertThat(text.contains(secret)).as("%s contains a secret (%s...)", where,
                    secret.substring(0, Math.min(6, secret.length()))).isFalse();
        }
    }

    @Test
    void no_token_password_or_secret_is_anywhere_in_the_shard() throws IOException {
        List<String> secrets = secretsUsed();
        assertThat(cookieValues).as("browser cookies seen").isNotEmpty();
        Path shard = kc.dataRoot().resolve("keycloak-it-node");
        List<Path> files;
        try (Stream<Path> s = Files.walk(kc.dataRoot())) {
            files = s.filter(Files::isRegularFile).toList();
        }
        assertThat(files).anyMatch(p -> p.startsWith(shard));
        for (Path f : files) {
            assertNoSecret(f.toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1), secrets);
        }
        // Stored fields are compressed on disk: scan the decoded records too.
        var all = reader.search(new SearchQuery(null, Map.of(), null, null, false),
                PageRequest.first(PageRequest.MAX_SIZE));
        assertThat(all.items()).hasSizeGreaterThan(15);
        for (ReplayRecord rec : all.items()) {
            assertNoSecret("record " + rec.id(), RecordCodec.mapper().writeValueAsString(rec), secrets);
        }
    }

    @Test
    void no_token_password_or_secret_is_in_keycloaks_log() throws IOException {
        // The listener logs (its start line, counters, rate-limited failures with their exception):
        // none of that may carry what Keycloak handed it.
        Path log = kc.server().log();
        String text = new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1);
        assertThat(text.contains("Tokentrail event listener recording to")).as("the listener's start line in %s", log)
                .isTrue();
        assertNoSecret(log.toString(), text, secretsUsed());
    }

    @Test
    void operators_see_the_counters_in_the_log_and_on_the_metrics_endpoint() throws Exception {
        String metrics = oidc.get(kc.server().managementUrl() + "/metrics", Map.of()).body();
        assertThat(metrics).contains("tokentrail_events_indexed_total{", "tokentrail_queue_depth{",
                "tokentrail_events_dropped_total{");
        await().atMost(Duration.ofSeconds(15)).until(() -> kc.server().logText().contains("Tokentrail: offered="));
    }
}
