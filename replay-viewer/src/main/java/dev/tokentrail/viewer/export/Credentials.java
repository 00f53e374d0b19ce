package dev.tokentrail.viewer.export;

import dev.tokentrail.index.model.SensitiveNames;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** What counts as a credential in an export, beyond what masking already replaced. */
final class Credentials {

    /** Headers that carry credentials whatever their value looks like. */
    private static final Set<String> ALWAYS = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");
    /** The markers masking leaves: {@code «masked:name»}, {@code «token:fingerprint»}. */
    static final Pattern MARKER = Pattern.compile("«(masked|token):([^»]{0,200})»");

    private Credentials() {
    }

    static boolean isCredentialHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return ALWAYS.contains(n) || SensitiveNames.HEADERS.contains(n);
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
