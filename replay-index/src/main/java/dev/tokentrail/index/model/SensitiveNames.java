package dev.tokentrail.index.model;

import java.util.Locale;
import java.util.Set;

/**
 * The names whose values are secrets wherever they appear: body fields, form fields, query
 * parameters, event details. One list, so the model's own guards and the masking policy agree.
 */
public final class SensitiveNames {

    /** Field and parameter names masked by default (compared case-insensitively). */
    public static final Set<String> FIELDS = Set.of(
            "password", "passwd", "pwd", "new_password", "current_password", "secret", "client_secret",
            "token", "access_token", "refresh_token", "id_token", "subject_token", "actor_token",
            "assertion", "client_assertion", "code", "code_verifier", "device_code", "user_code",
            "otp", "totp", "pin", "api_key", "apikey", "private_key", "credential", "credentials",
            "authorization", "cookie", "session_token", "saml_response", "samlresponse");

    /** Header names masked by default besides Authorization (compared case-insensitively). */
    public static final Set<String> HEADERS = Set.of(
            "cookie", "set-cookie", "x-api-key", "api-key", "apikey", "x-apikey", "x-gravitee-api-key",
            "x-auth-token", "x-access-token", "x-amz-security-token", "x-csrf-token", "x-xsrf-token",
            "dpop", "ocp-apim-subscription-key", "private-token", "x-vault-token");

    private SensitiveNames() {
    }

    /** True when a value under this name is a secret by default. */
    public static boolean isSecretField(String name) {
        return name != null && FIELDS.contains(name.toLowerCase(Locale.ROOT));
    }

    /** The visible marker that replaces a masked value, e.g. {@code «masked:password»}. */
    public static String marker(String name) {
        return "«masked:" + (name == null ? "" : name) + "»";
    }
}
