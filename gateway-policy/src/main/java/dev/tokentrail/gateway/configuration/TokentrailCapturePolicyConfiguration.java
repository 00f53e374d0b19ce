package dev.tokentrail.gateway.configuration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.gravitee.policy.api.PolicyConfiguration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one API (or organization flow) captures. Saved by the console's Policy Studio form
 * ({@code schemas/schema-form.json}) and deserialized by the gateway with Jackson; every field is
 * optional and missing ones take the defaults documented in the README.
 *
 * <p>Out-of-range numbers are clamped rather than rejected: a typo in a console form must never
 * stop an API from being deployed, and the clamped value is what the README promises.
 *
 * @param captureRequestBody   keep a bounded, masked prefix of the request body
 * @param captureResponseBody  keep a bounded, masked prefix of the response body
 * @param maxBodyBytes         prefix size per body, 0..{@link #MAX_BODY_BYTES_LIMIT}
 * @param contentTypes         media types whose bodies are kept ({@code text/*}, {@code application/*+json} allowed)
 * @param maskedHeaders        header names masked on top of the built-in list
 * @param maskedFields         body / query field names masked on top of the built-in list
 * @param samplingPercentage   share of requests recorded, 0..100; responses with status >= 400 always are
 * @param skipPaths            request paths never recorded (exact, a path prefix, or ending with {@code *})
 * @param tokenQueryParameters query parameters that carry tokens: identified, then masked in the stored URL
 * @param tokenHeaders         headers that carry a raw token (with or without a scheme), e.g. an API key
 *                             header or {@code X-Forwarded-Access-Token}: identified (fingerprint, claims),
 *                             stored as the token's reference
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TokentrailCapturePolicyConfiguration(
        boolean captureRequestBody,
        boolean captureResponseBody,
        int maxBodyBytes,
        List<String> contentTypes,
        List<String> maskedHeaders,
        List<String> maskedFields,
        int samplingPercentage,
        List<String> skipPaths,
        List<String> tokenQueryParameters,
        List<String> tokenHeaders) implements PolicyConfiguration {

    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;
    /** Bodies are copied in the gateway's memory per in-flight request: keep the ceiling modest. */
    public static final int MAX_BODY_BYTES_LIMIT = 1024 * 1024;
    public static final List<String> DEFAULT_CONTENT_TYPES = List.of(
            "application/json", "application/*+json", "application/x-www-form-urlencoded", "multipart/form-data",
            "text/*", "application/xml", "application/*+xml");
    public static final List<String> DEFAULT_TOKEN_QUERY_PARAMETERS = List.of("access_token");

    public TokentrailCapturePolicyConfiguration {
        maxBodyBytes = Math.clamp(maxBodyBytes, 0, MAX_BODY_BYTES_LIMIT);
        samplingPercentage = Math.clamp(samplingPercentage, 0, 100);
        contentTypes = contentTypes == null ? DEFAULT_CONTENT_TYPES : clean(contentTypes, true);
        maskedHeaders = maskedHeaders == null ? List.of() : clean(maskedHeaders, false);
        maskedFields = maskedFields == null ? List.of() : clean(maskedFields, false);
        skipPaths = skipPaths == null ? List.of() : clean(skipPaths, false);
        tokenQueryParameters = tokenQueryParameters == null ? DEFAULT_TOKEN_QUERY_PARAMETERS
                : clean(tokenQueryParameters, false);
        tokenHeaders = tokenHeaders == null ? List.of() : clean(tokenHeaders, false);
    }

    /** Jackson entry point: absent properties take their defaults, not Java's zero values. */
    @JsonCreator
    static TokentrailCapturePolicyConfiguration fromJson(
            @JsonProperty("captureRequestBody") Boolean captureRequestBody,
            @JsonProperty("captureResponseBody") Boolean captureResponseBody,
            @JsonProperty("maxBodyBytes") Integer maxBodyBytes,
            @JsonProperty("contentTypes") List<String> contentTypes,
            @JsonProperty("maskedHeaders") List<String> maskedHeaders,
            @JsonProperty("maskedFields") List<String> maskedFields,
            @JsonProperty("samplingPercentage") Integer samplingPercentage,
            @JsonProperty("skipPaths") List<String> skipPaths,
            @JsonProperty("tokenQueryParameters") List<String> tokenQueryParameters,
            @JsonProperty("tokenHeaders") List<String> tokenHeaders) {
        return new TokentrailCapturePolicyConfiguration(
                captureRequestBody == null || captureRequestBody,
                captureResponseBody == null || captureResponseBody,
                maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes,
                contentTypes, maskedHeaders, maskedFields,
                samplingPercentage == null ? 100 : samplingPercentage,
                skipPaths, tokenQueryParameters, tokenHeaders);
    }

    /** The defaults, as if the console saved an empty form. */
    public static TokentrailCapturePolicyConfiguration defaults() {
        return fromJson(null, null, null, null, null, null, null, null, null, null);
    }

    /** Whether a body with this Content-Type is kept as text (parameters such as charset are ignored). */
    public boolean capturesContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return false;
        }
        int semi = contentType.indexOf(';');
        String type = (semi >= 0 ? contentType.substring(0, semi) : contentType).strip().toLowerCase(Locale.ROOT);
        for (String pattern : contentTypes) {
            if (matches(pattern, type)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the request path is excluded from capture. */
    public boolean skips(String path) {
        if (path == null) {
            return false;
        }
        for (String p : skipPaths) {
            if (p.endsWith("*")) {
                if (path.startsWith(p.substring(0, p.length() - 1))) {
                    return true;
                }
            } else if (path.equals(p) || path.startsWith(p.endsWith("/") ? p : p + "/")) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(String pattern, String type) {
        if (pattern.equals("*/*") || pattern.equals(type)) {
            return true;
        }
        int slash = pattern.indexOf('/');
        int typeSlash = type.indexOf('/');
        if (slash < 0 || typeSlash < 0 || !pattern.regionMatches(0, type, 0, Math.max(slash, typeSlash) + 1)) {
            return false;
        }
        String sub = pattern.substring(slash + 1);
        String typeSub = type.substring(typeSlash + 1);
        if (sub.equals("*")) {
            return true;
        }
        // "application/*+json" matches application/problem+json, application/vnd.x+json
        return sub.startsWith("*+") && typeSub.endsWith(sub.substring(1));
    }

    private static List<String> clean(List<String> values, boolean lowerCase) {
        return values.stream()
                .filter(Objects::nonNull)
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> lowerCase ? s.toLowerCase(Locale.ROOT) : s)
                .distinct()
                .toList();
    }
}
