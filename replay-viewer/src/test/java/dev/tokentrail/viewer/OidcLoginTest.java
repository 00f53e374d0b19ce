package dev.tokentrail.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokentrail.index.store.RecordCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The viewer's OIDC relying party against a stand-in issuer (a JDK HTTP server that speaks the
 * discovery and token endpoints and checks the PKCE verifier), so the cases a real IdP will not
 * produce on demand (a forged or swapped state cookie, a flood of login starts, a role taken away)
 * can be driven here. The same login against the real Keycloak, through its login form, is dist's
 * {@code EndToEndIT}:
 * {@code the_viewer_sends_a_visitor_to_keycloak_and_lets_an_auditor_in},
 * {@code a_keycloak_user_without_the_auditor_role_is_refused} and
 * {@code headless_chromium_logs_in_through_keycloak_and_shows_the_timeline}.
 */
class OidcLoginTest {

    static final String CLIENT = "tokentrail-viewer";

    @TempDir
    Path root;
    HttpServer idp;
    String issuer;
    Viewer viewer;
    final ObjectMapper json = RecordCodec.mapper();
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    /** What the authorization request carried, as the IdP would remember it per code. */
    final Map<String, String> authRequest = new HashMap<>();
    final AtomicReference<List<String>> roles = new AtomicReference<>(List.of("tokentrail-auditor"));
    final AtomicReference<String> tokenRequest = new AtomicReference<>();
    /** The state cookie of the last {@link #login}: name=value. */
    String lastStateCookie;

    @BeforeEach
    void start() throws IOException {
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + idp.getAddress().getPort() + "/realms/shop";
        idp.createContext("/realms/shop/.well-known/openid-configuration", x -> reply(x, 200, "{\"issuer\":\"" + issuer
                + "\",\"authorization_endpoint\":\"" + issuer + "/protocol/openid-connect/auth\",\"token_endpoint\":\""
                + issuer + "/protocol/openid-connect/token\"}"));
        idp.createContext("/realms/shop/protocol/openid-connect/token", this::token);
        idp.start();
        viewer = Viewer.start(new ViewerOptions(new ServerConfig(root, "127.0.0.1", 0, List.of()),
                new SecurityConfig(null, new SecurityConfig.Oidc(URI.create(issuer), CLIENT, null, "tokentrail-auditor",
                        URI.create("http://127.0.0.1:1")), null, null), LiveConfig.defaults()));
    }

    @AfterEach
    void stop() {
        if (viewer != null) {
            viewer.close();
        }
        idp.stop(0);
    }

    void token(HttpExchange x) throws IOException {
        String form = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        tokenRequest.set(form);
        Map<String, String> f = new HashMap<>();
        for (String kv : form.split("&")) {
            String[] p = kv.split("=", 2);
            f.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8), URLDecoder.decode(p[1], StandardCharsets.UTF_8));
        }
        String challenge;
        try {
            challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(f.get("code_verifier").getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IOException(e);
        }
        if (!"the-code".equals(f.get("code")) || !challenge.equals(authRequest.get("code_challenge"))
                || !authRequest.get("redirect_uri").equals(f.get("redirect_uri"))) {
            reply(x, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        long exp = Instant.now().plusSeconds(300).getEpochSecond();
        String id = jwt(Map.of("iss", issuer, "aud", CLIENT, "sub", "u-1", "preferred_username", "auditor-anna",
                "nonce", authRequest.get("nonce"), "exp", exp));
        String access = jwt(Map.of("iss", issuer, "sub", "u-1", "exp", exp, "realm_access", Map.of("roles", roles.get())));
        reply(x, 200, "{\"access_token\":\"" + access + "\",\"id_token\":\"" + id + "\",\"token_type\":\"Bearer\"}");
    }

    String jwt(Map<String, Object> claims) throws IOException {
        Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
        return b.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b.encodeToString(json.writeValueAsBytes(claims)) + ".c2ln";
    }

    static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(viewer.baseUrl() + path));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String cookie(HttpResponse<?> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElse(null);
    }

    /** Follows the viewer to the IdP and back with a code; returns the callback response. */
    HttpResponse<String> login(boolean keepStateCookie) throws Exception {
        HttpResponse<String> home = get("/", null);
        assertThat(home.statusCode()).isEqualTo(303);
        assertThat(home.headers().firstValue("Location")).hasValue("/auth/login");
        HttpResponse<String> start = get("/auth/login", null);
        assertThat(start.statusCode()).isEqualTo(303);
        URI auth = URI.create(start.headers().firstValue("Location").orElseThrow());
        assertThat(auth.toString()).startsWith(issuer + "/protocol/openid-connect/auth?");
        for (String kv : auth.getRawQuery().split("&")) {
            String[] p = kv.split("=", 2);
            authRequest.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
        }
        assertThat(authRequest).containsEntry("response_type", "code").containsEntry("client_id", CLIENT)
                .containsEntry("code_challenge_method", "S256").containsKeys("state", "nonce", "code_challenge");
        assertThat(authRequest).doesNotContainKey("code_verifier");
        String stateCookie = cookie(start, "tt_oidc_state");
        lastStateCookie = stateCookie;
        assertThat(start.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("tt_oidc_state=")
                && c.contains("HttpOnly") && c.toLowerCase().contains("samesite=lax"));
        return get("/auth/callback?code=the-code&state=" + authRequest.get("state"), keepStateCookie ? stateCookie : null);
    }

    @Test
    void a_user_with_the_role_logs_in_with_code_and_pkce() throws Exception {
        HttpResponse<String> back = login(true);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(back.body()).contains("http-equiv=\"refresh\"");
        String session = cookie(back, "tt_session");
        assertThat(session).isNotNull();
        assertThat(tokenRequest.get()).contains("code_verifier=").contains("grant_type=authorization_code");
        HttpResponse<String> me = get("/api/me", session);
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(json.readTree(me.body()).get("name").asText()).isEqualTo("auditor-anna");
        assertThat(json.readTree(me.body()).get("via").asText()).isEqualTo("oidc");
    }

    @Test
    void a_user_without_the_role_is_refused() throws Exception {
        roles.set(List.of("offline_access", "default-roles-shop"));
        HttpResponse<String> back = login(true);
        assertThat(back.statusCode()).isEqualTo(403);
        assertThat(back.body()).contains("tokentrail-auditor");
        assertThat(cookie(back, "tt_session")).isNull();
    }

    @Test
    void a_callback_without_the_browser_bound_state_is_refused() throws Exception {
        HttpResponse<String> back = login(false);
        assertThat(back.statusCode()).isEqualTo(400);
        assertThat(cookie(back, "tt_session")).isNull();
        assertThat(tokenRequest.get()).isNull();
    }

    @Test
    void a_flood_of_unauthenticated_login_starts_cannot_lock_a_real_user_out() throws Exception {
        // Anyone who reaches the port can start logins; until now each one took a slot in a table
        // of 1,000, after which every login answered 503 for ten minutes.
        int flood = 3_000;
        int redirected = 0;
        for (int i = 0; i < flood; i++) {
            HttpResponse<String> r = get(i % 3 == 0 ? "/" : "/auth/login", null);
            if (r.statusCode() == 303) {
                redirected++;
            }
        }
        assertThat(redirected).isEqualTo(flood);

        HttpResponse<String> back = login(true);
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        String session = cookie(back, "tt_session");
        assertThat(get("/api/me", session).statusCode()).isEqualTo(200);
    }

    @Test
    void the_state_cookie_carries_the_login_sealed_so_the_verifier_cannot_be_read_from_it() throws Exception {
        HttpResponse<String> back = login(true);
        assertThat(back.statusCode()).isEqualTo(200);
        String verifier = null;
        for (String kv : tokenRequest.get().split("&")) {
            if (kv.startsWith("code_verifier=")) {
                verifier = URLDecoder.decode(kv.substring("code_verifier=".length()), StandardCharsets.UTF_8);
            }
        }
        assertThat(verifier).hasSize(43);
        String sealed = lastStateCookie.substring("tt_oidc_state=".length());
        assertThat(sealed).doesNotContain(verifier).doesNotContain(authRequest.get("nonce"))
                .doesNotContain(authRequest.get("state"));
        assertThat(new String(Base64.getUrlDecoder().decode(sealed), StandardCharsets.ISO_8859_1))
                .doesNotContain(verifier).doesNotContain(authRequest.get("nonce"));
    }

    @Test
    void a_callback_with_another_login_s_cookie_or_an_altered_one_is_refused() throws Exception {
        HttpResponse<String> first = get("/auth/login", null);
        HttpResponse<String> second = get("/auth/login", null);
        String firstState = stateOf(first);
        HttpResponse<String> crossed = get("/auth/callback?code=the-code&state=" + firstState,
                cookie(second, "tt_oidc_state"));
        assertThat(crossed.statusCode()).isEqualTo(400);
        String own = cookie(first, "tt_oidc_state");
        int mid = own.length() / 2; // not the last character: its low bits may be padding
        String bent = own.substring(0, mid) + (own.charAt(mid) == 'A' ? 'B' : 'A') + own.substring(mid + 1);
        HttpResponse<String> altered = get("/auth/callback?code=the-code&state=" + firstState, bent);
        assertThat(altered.statusCode()).isEqualTo(400);
        assertThat(cookie(crossed, "tt_session")).isNull();
        assertThat(cookie(altered, "tt_session")).isNull();
        assertThat(tokenRequest.get()).as("no code was redeemed").isNull();
    }

    static String stateOf(HttpResponse<String> start) {
        URI auth = URI.create(start.headers().firstValue("Location").orElseThrow());
        for (String kv : auth.getRawQuery().split("&")) {
            if (kv.startsWith("state=")) {
                return kv.substring("state=".length());
            }
        }
        throw new AssertionError("no state in " + auth);
    }

    @Test
    void the_local_token_is_not_accepted_in_oidc_mode() throws Exception {
        assertThat(viewer.localToken()).isNull();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(viewer.baseUrl() + "/api/me"))
                .header("Authorization", "Bearer anything-at-all-0123456789").timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
    }
}
