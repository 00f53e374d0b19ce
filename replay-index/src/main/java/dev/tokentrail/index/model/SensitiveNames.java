package dev.tokentrail.index.model;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The names whose values are secrets wherever they appear: body fields, form fields, query
 * parameters, event details. One list and one way of comparing names, so the model's own guards
 * and the masking policy agree.
 *
 * <p>Names are compared after {@link #normalize}: lower case, letters and digits only, so
 * {@code client_secret}, {@code clientSecret} and {@code Client-Secret} are one name.
 */
public final class SensitiveNames {

    /** Field and parameter names masked by default (compared after {@link #normalize}). */
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

    /**
     * Words that make a field name sensitive wherever they occur in its normalized form
     * ({@code newPassword}, {@code x_client_secret}, {@code my-api-key}).
     */
    public static final List<String> FIELD_WORDS = List.of("password", "passwd", "secret", "apikey", "privatekey",
            "accesstoken", "refreshtoken", "credential");

    /**
     * Endings that make a name found only through {@link #FIELD_WORDS} describe a secret rather than
     * hold one: {@code refresh_token_sub}, {@code refresh_token_type}, {@code credential_type},
     * {@code refresh_token_id}, {@code client_secret_expires_at}, {@code password_policy}. Keycloak
     * and OAuth send such names with harmless values an investigator needs. Names in {@link #FIELDS}
     * are always secret, and so is anything else ending in a secret word ({@code password_hint} is
     * not a descriptor: a hint can give the password away).
     */
    public static final List<String> DESCRIPTOR_ENDINGS = List.of("type", "sub", "id", "expiresin",
            "expiresat", "issuedat", "method", "length", "policy", "count");

    /** Only this much of a longer name is compared: bounded cost per name, whoever chose it. */
    private static final int MAX_NAME = 256;
    private static final Set<String> NORMALIZED_FIELDS = FIELDS.stream()
            .map(n -> normalize(n, 0, n.length())).collect(Collectors.toUnmodifiableSet());

    private SensitiveNames() {
    }

    /**
     * True when a value under this name is a secret by default: its normalized form is one of
     * {@link #FIELDS} or contains one of {@link #FIELD_WORDS}. The masking policy's default field
     * matching gives the same answer.
     */
    public static boolean isSecretField(String name) {
        if (name == null) {
            return false;
        }
        return matchesNormalized(normalize(name, 0, Math.min(name.length(), MAX_NAME)), NORMALIZED_FIELDS,
                FIELD_WORDS);
    }

    /**
     * The one matching rule, on a name already {@link #normalize normalized}: one of {@code exact},
     * or containing one of {@code words} unless it only {@link #describes describes} that secret.
     */
    public static boolean matchesNormalized(String k, Set<String> exact, Iterable<String> words) {
        if (k.isEmpty()) {
            return false;
        }
        if (exact.contains(k)) {
            return true;
        }
        for (String w : words) {
            if (k.contains(w)) {
                return !describes(k, w);
            }
        }
        return false;
    }

    /**
     * True when the normalized name {@code k}, which contains the secret word {@code word}, ends with
     * a {@link #DESCRIPTOR_ENDINGS descriptor} after that word: it names something about a secret.
     */
    public static boolean describes(String k, String word) {
        int after = k.lastIndexOf(word) + word.length();
        for (String e : DESCRIPTOR_ENDINGS) {
            if (k.endsWith(e) && k.length() - e.length() >= after) {
                return true;
            }
        }
        return false;
    }

    /** {@code s[from, to)} in lower case, letters and digits only: the form every name is compared in. */
    public static String normalize(CharSequence s, int from, int to) {
        StringBuilder b = null;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
                if (b != null) {
                    b.append(c);
                }
                continue;
            }
            if (b == null) {
                b = new StringBuilder(to - from);
                b.append(s, from, i);
            }
            if (c >= 'A' && c <= 'Z') {
                b.append((char) (c + 32));
            } else if (c > 127 && Character.isLetterOrDigit(c)) {
                b.append(Character.toLowerCase(c));
            }
        }
        return b == null ? s.subSequence(from, to).toString() : b.toString();
    }

    /** The visible marker that replaces a masked value, e.g. {@code «masked:password»}. */
    public static String marker(String name) {
        return "«masked:" + (name == null ? "" : name) + "»";
    }
}
