package dev.tokentrail.dist;

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
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A tiny browser-ish HTTP client: no automatic redirects, and a cookie jar per host kept by hand
 * (Keycloak marks its login cookies Secure even over http, which java.net.http's CookieManager
 * would then withhold on loopback http).
 */
public final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Map<String, String>> jars = new LinkedHashMap<>();

    /** A reply; {@code json} is null when the body is not JSON. */
    public record Reply(int status, String body, JsonNode json, HttpResponse<String> raw) {
        public String text(String field) {
            return json == null || json.get(field) == null ? null : json.get(field).asText();
        }

        public String location() {
            return raw.headers().firstValue("Location").orElse(null);
        }
    }

    public Reply get(String url, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), headers);
    }

    public Reply postForm(String url, Map<String, String> fields, String... headers) throws IOException,
            InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))), headers);
    }

    public Reply postJson(String url, String json, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    private Reply send(HttpRequest.Builder b, String... headers) throws IOException, InterruptedException {
        b.timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpRequest request = b.build();
        Map<String, String> jar = jars.computeIfAbsent(request.uri().getAuthority(), k -> new LinkedHashMap<>());
        if (!jar.isEmpty()) {
            request = HttpRequest.newBuilder(request, (n, v) -> true).header("Cookie", jar.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "))).build();
        }
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        for (String c : r.headers().allValues("Set-Cookie")) {
            String pair = c.split(";", 2)[0];
            int eq = pair.indexOf('=');
            if (eq > 0) {
                String value = pair.substring(eq + 1);
                if (value.isEmpty() || c.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                    jar.remove(pair.substring(0, eq).strip());
                } else {
                    jar.put(pair.substring(0, eq).strip(), value);
                }
            }
        }
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").contains("json") && !r.body().isBlank()) {
            try {
                json = JSON.readTree(r.body());
            } catch (IOException notJson) {
                // left null
            }
        }
        return new Reply(r.statusCode(), r.body(), json, r);
    }

    public static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    public static Map<String, String> fields(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A JWT's claims, decoded without verifying (we just got it from Keycloak). */
    public static JsonNode claims(String jwt) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a JWT", e);
        }
    }
}
