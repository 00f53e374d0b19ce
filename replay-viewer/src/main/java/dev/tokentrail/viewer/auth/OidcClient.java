package dev.tokentrail.viewer.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentrail.viewer.SecurityConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The relying-party half of the OIDC authorization code flow with PKCE, in plain HTTP and Jackson.
 *
 * <p>Tokens come straight from the token endpoint over the back channel, so (OIDC Core 3.1.3.7,
 * item 6) the ID token's signature is not checked here; its issuer, audience, expiry and nonce
 * are. Use an https issuer outside a lab.
 */
final class OidcClient {

    /** Clock skew tolerated on {@code exp}. */
    private static final Duration SKEW = Duration.ofSeconds(60);

    record Endpoints(URI authorization, URI token, URI endSession) {
    }

    /** What a successful login yields. */
    record Login(String subject, String username, Set<String> roles) {
    }

    /** A login that must be refused; the message is safe to show to the user. */
    static final class LoginRefused extends RuntimeException {
        LoginRefused(String message) {
            super(message);
        }
    }

    private final SecurityConfig.Oidc config;
    private final HttpClient http;
    private final ObjectMapper json;
    private volatile Endpoints endpoints;

    OidcClient(SecurityConfig.Oidc config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Discovery, cached after the first success (the issuer may start after the viewer). */
    Endpoints endpoints() {
        Endpoints e = endpoints;
        if (e != null) {
            return e;
        }
        URI well = URI.create(config.issuer() + "/.well-known/openid-configuration");
        JsonNode doc = getJson(well);
        String issuer = doc.path("issuer").asText("");
        if (!issuer.equals(config.issuer().toString())) {
            throw new LoginRefused("the identity provider names itself '" + issuer + "', not the configured issuer "
                    + config.issuer());
        }
        e = new Endpoints(URI.create(doc.path("authorization_endpoint").asText()),
                URI.create(doc.path("token_endpoint").asText()),
                doc.hasNonNull("end_session_endpoint") ? URI.create(doc.get("end_session_endpoint").asText()) : null);
        endpoints = e;
        return e;
    }

    URI authorizationRequest(String state, String nonce, Pkce pkce) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", config.clientId());
        q.put("redirect_uri", config.redirectUri().toString());
        q.put("scope", "openid profile");
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", pkce.challenge());
        q.put("code_challenge_method", "S256");
        URI auth = endpoints().authorization();
        return URI.create(auth + (auth.getRawQuery() == null ? "?" : "&") + form(q));
    }

    /** Redeems the code and checks who came back. */
    Login redeem(String code, String verifier, String nonce, Instant now) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("grant_type", "authorization_code");
        f.put("code", code);
        f.put("redirect_uri", config.redirectUri().toString());
        f.put("code_verifier", verifier);
        f.put("client_id", config.clientId());
        HttpRequest.Builder req = HttpRequest.newBuilder(endpoints().token()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(f)));
        if (config.clientSecret() != null) {
            String basic = URLEncoder.encode(config.clientId(), StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(config.clientSecret(), StandardCharsets.UTF_8);
            req.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
        }
        JsonNode tokens;
        try {
            HttpResponse<String> res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                // The IdP's error code is safe to show; the body might echo the request, so only the code.
                String err = safeErrorCode(res.body());
                throw new LoginRefused("the identity provider refused the code (" + res.statusCode() + " " + err + ")");
            }
            tokens = json.readTree(res.body());
        } catch (IOException e) {
            throw new LoginRefused("cannot reach the identity provider's token endpoint: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoginRefused("interrupted");
        }
        JsonNode id = payload(tokens.path("id_token").asText(null));
        if (id == null) {
            throw new LoginRefused("the identity provider returned no ID token");
        }
        if (!config.issuer().toString().equals(id.path("iss").asText())) {
            throw new LoginRefused("the ID token comes from another issuer");
        }
        if (!audienceHas(id.get("aud"), config.clientId())) {
            throw new LoginRefused("the ID token is not for this client");
        }
        if (!id.path("exp").isNumber() || Instant.ofEpochSecond(id.get("exp").asLong()).plus(SKEW).isBefore(now)) {
            throw new LoginRefused("the ID token has expired");
        }
        if (!Secrets.same(id.path("nonce").asText(null), nonce)) {
            throw new LoginRefused("the ID token's nonce does not match this login");
        }
        JsonNode access = payload(tokens.path("access_token").asText(null));
        Set<String> roles = new HashSet<>(roles(id, config.clientId()));
        if (access != null) {
            roles.addAll(roles(access, config.clientId()));
        }
        String sub = id.path("sub").asText(null);
        String username = id.path("preferred_username").asText(sub);
        return new Login(sub, username, roles);
    }

    /** Keycloak puts roles in realm_access and resource_access; plain {@code roles} is also read. */
    static Set<String> roles(JsonNode claims, String clientId) {
        Set<String> out = new HashSet<>();
        claims.path("realm_access").path("roles").forEach(r -> out.add(r.asText()));
        claims.path("resource_access").path(clientId).path("roles").forEach(r -> out.add(r.asText()));
        claims.path("roles").forEach(r -> out.add(r.asText()));
        return out;
    }

    private static boolean audienceHas(JsonNode aud, String clientId) {
        if (aud == null) {
            return false;
        }
        if (aud.isArray()) {
            for (JsonNode a : aud) {
                if (clientId.equals(a.asText())) {
                    return true;
                }
            }
            return false;
        }
        return clientId.equals(aud.asText());
    }

    /** The JSON payload of a JWS, or null. */
    JsonNode payload(String jwt) {
        if (jwt == null) {
            return null;
        }
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode n = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return n != null && n.isObject() ? n : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private JsonNode getJson(URI uri) {
        try {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                throw new LoginRefused("OIDC discovery at " + uri + " answered " + res.statusCode());
            }
            return json.readTree(res.body());
        } catch (IOException e) {
            throw new LoginRefused("cannot reach the identity provider at " + uri + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LoginRefused("interrupted");
        }
    }

    private String safeErrorCode(String body) {
        try {
            String e = json.readTree(body).path("error").asText("");
            return e.matches("[a-z_]{1,64}") ? e : "";
        } catch (IOException | RuntimeException notJson) {
            return "";
        }
    }

    static String form(Map<String, String> m) {
        return m.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
