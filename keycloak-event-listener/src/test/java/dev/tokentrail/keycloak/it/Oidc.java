package dev.tokentrail.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A small OIDC client over java.net.http: no cookie jar, no redirects, everything by hand. */
final class Oidc {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String realm;

    Oidc(String base, String realm) {
        this.base = base;
        this.realm = realm;
    }

    String realmUrl() {
        return base + "/realms/" + realm;
    }

    String endpoint(String name) {
        return realmUrl() + "/protocol/openid-connect/" + name;
    }

    record Reply(int status, JsonNode json, String body, HttpResponse<String> raw) {
        String text(String field) {
            return json == null || json.get(field) == null ? null : json.get(field).asText();
        }

        /**
         * For assertion messages: the status and the OAuth error only. Never the body: a token
         * response in a failure message would end up in the failsafe reports.
         */
        String describe() {
            String error = text("error");
            return "HTTP " + status + (error == null ? "" : ", error=" + error);
        }
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    static Map<String, String> fields(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    Reply post(String url, Map<String, String> fields, Map<String, String> headers) throws IOException,
            InterruptedException {
        var b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)));
        headers.forEach(b::header);
        return reply(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    Reply get(String url, Map<String, String> headers) throws IOException, InterruptedException {
        var b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        headers.forEach(b::header);
        return reply(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    Reply postJson(String url, String json, Map<String, String> headers) throws IOException, InterruptedException {
        var b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(b::header);
        return reply(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
    }

    Reply token(Map<String, String> fields) throws IOException, InterruptedException {
        return post(endpoint("token"), fields, Map.of());
    }

    private static Reply reply(HttpResponse<String> r) {
        JsonNode json = null;
        String ct = r.headers().firstValue("Content-Type").orElse("");
        if (ct.contains("json") && !r.body().isBlank()) {
            try {
                json = JSON.readTree(r.body());
            } catch (IOException notJson) {
                // leave null
            }
        }
        return new Reply(r.statusCode(), json, r.body(), r);
    }

    /** The claims of a JWT, decoded without verifying (Keycloak just signed it). */
    static JsonNode claims(String jwt) {
        try {
            String[] parts = jwt.split("\\.");
            return JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a JWT: " + e.getMessage(), e);
        }
    }

    static String jti(String jwt) {
        return claims(jwt).get("jti").asText();
    }

    static String sid(String jwt) {
        JsonNode sid = claims(jwt).get("sid");
        return sid == null ? null : sid.asText();
    }

    /** Cookies as a browser would resend them ("Secure" ignored: this is loopback http). */
    static String cookies(HttpResponse<?> r, Map<String, String> jar) {
        List<String> set = r.headers().allValues("Set-Cookie");
        for (String c : set) {
            String pair = c.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                String value = pair.substring(eq + 1);
                if (value.isEmpty()) {
                    jar.remove(pair.substring(0, eq));
                } else {
                    jar.put(pair.substring(0, eq), value);
                }
            }
        }
        return jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
    }
}
