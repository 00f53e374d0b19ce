package dev.tokentrail.viewer.export;

import dev.tokentrail.index.model.SensitiveNames;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** What counts as a credential in an export, beyond what masking already replaced, and what to call it. */
final class Credentials {

    /** Headers that carry credentials whatever their value looks like. */
    private static final Set<String> ALWAYS = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");
    /** The markers masking leaves: {@code «masked:name»}, {@code «token:fingerprint»}. */
    static final Pattern MARKER = Pattern.compile("«(masked|token):([^»]{0,200})»");

    static final String ACCESS_TOKEN = "ACCESS_TOKEN";
    static final String REFRESH_TOKEN = "REFRESH_TOKEN";
    static final String ID_TOKEN = "ID_TOKEN";
    static final String CLIENT_SECRET = "CLIENT_SECRET";
    static final String PASSWORD = "PASSWORD";
    static final String PROXY_CREDENTIALS = "PROXY_CREDENTIALS";
    static final String BASIC_CREDENTIALS = "BASIC_CREDENTIALS";
    /** The prefix of every other placeholder: {@code SECRET_X_API_KEY}, {@code SECRET_CODE}. */
    static final String SECRET = "SECRET_";

    private Credentials() {
    }

    static boolean isCredentialHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return ALWAYS.contains(n) || SensitiveNames.HEADERS.contains(n);
    }

    /**
     * The placeholder for a credential that travelled under {@code name} (a header, form field,
     * query parameter or JSON member; compared as masking compares names, so {@code refresh_token},
     * {@code refreshToken} and {@code Refresh-Token} are one). {@code refreshHint}: the request said
     * {@code token_type_hint=refresh_token}, so a plain {@code token} is a refresh token (revocation,
     * introspection). {@code scheme}: the word before the value ({@code Bearer}, {@code Basic}), if
     * any, which tells what an {@code authorization} holds. A name of no known kind gives
     * {@code SECRET_<NAME>}; no name gives {@code SECRET_TOKEN}.
     */
    static String placeholder(String name, String scheme, boolean refreshHint) {
        if (name == null || name.isBlank()) {
            return SECRET + "TOKEN";
        }
        String k = SensitiveNames.normalize(name, 0, Math.min(name.length(), 256));
        return switch (k) {
            case "token" -> refreshHint ? REFRESH_TOKEN : ACCESS_TOKEN;
            case "accesstoken", "xaccesstoken" -> ACCESS_TOKEN;
            case "refreshtoken" -> REFRESH_TOKEN;
            case "idtoken", "idtokenhint" -> ID_TOKEN;
            case "clientsecret" -> CLIENT_SECRET;
            case "password", "passwd", "pwd" -> PASSWORD;
            case "authorization" -> authorizationPlaceholder(name, scheme == null ? "bearer" : scheme);
            case "proxyauthorization" -> PROXY_CREDENTIALS;
            default -> secret(name);
        };
    }

    /**
     * The placeholder for an {@code Authorization} or {@code Proxy-Authorization} header by its
     * scheme: a bearer (or DPoP-bound) access token, Basic credentials ({@code base64(id:secret)}),
     * or, for any other scheme, a generic secret.
     */
    static String authorizationPlaceholder(String header, String scheme) {
        if (SensitiveNames.normalize(header, 0, header.length()).equals("proxyauthorization")) {
            return PROXY_CREDENTIALS;
        }
        String s = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "", "bearer", "dpop" -> ACCESS_TOKEN;
            case "basic" -> BASIC_CREDENTIALS;
            default -> secret(header);
        };
    }

    /** {@code SECRET_<NAME>}: the name as a shell variable name ({@code x-api-key} → {@code SECRET_X_API_KEY}). */
    static String secret(String name) {
        return SECRET + variable(name);
    }

    /** A shell variable name for a header or marker, e.g. {@code ACCESS_TOKEN}, {@code X_API_KEY}. */
    static String variable(String name) {
        String v = name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (v.isEmpty() || Character.isDigit(v.charAt(0))) {
            v = "V_" + v;
        }
        return v.length() > 40 ? v.substring(0, 40) : v;
    }
}
