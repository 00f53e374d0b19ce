package dev.tokentrail.index.mask;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.model.Header;
import dev.tokentrail.index.model.SensitiveNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Header lists: credentials replaced, everything escaped, the list bounded.
 *
 * <ul>
 *   <li>{@code Authorization}, {@code Proxy-Authorization} (and any {@code *-Authorization}): the scheme
 *       as sent plus the fingerprint reference for Bearer/DPoP, a marker for Basic and every other
 *       scheme. Basic credentials are never decoded.</li>
 *   <li>{@code Cookie} / {@code Set-Cookie}: names and attributes kept, values masked.</li>
 *   <li>configured token headers: the reference; API-key and other sensitive headers: a marker.</li>
 *   <li>anything else: pattern-masked as text (a JWT or {@code ?code=} inside a Location URL).</li>
 * </ul>
 * Beyond the count or size budget headers are dropped and counted, except credential headers,
 * which are short once masked and are evidence (two Authorization headers).
 */
final class HeaderMasker {

    private static final int MAX_NAME = 256;
    private static final int MAX_EXTRA_AUTH = 8;

    private final Fingerprinter fingerprinter;
    private final TextMasker text;
    private final Names sensitive;
    private final Names tokenHeaders;
    private final Names tokenCookies;
    private final int maxHeaders;
    private final int maxValueChars;
    private final int maxTotalChars;

    HeaderMasker(Fingerprinter fingerprinter, TextMasker text, Names sensitive, Names tokenHeaders,
                 Names tokenCookies, int maxHeaders, int maxValueChars, int maxTotalChars) {
        this.fingerprinter = fingerprinter;
        this.text = text;
        this.sensitive = sensitive;
        this.tokenHeaders = tokenHeaders;
        this.tokenCookies = tokenCookies;
        this.maxHeaders = maxHeaders;
        this.maxValueChars = maxValueChars;
        this.maxTotalChars = maxTotalChars;
    }

    List<Header> mask(List<Header> in, Identities ids) {
        if (in == null || in.isEmpty()) {
            return List.of();
        }
        var out = new ArrayList<Header>(Math.min(in.size(), maxHeaders) + 1);
        int total = 0;
        int dropped = 0;
        int extraAuth = 0;
        for (Header h : in) {
            if (h == null) {
                continue;
            }
            String lname = h.name().strip().toLowerCase(Locale.ROOT);
            boolean auth = lname.endsWith("authorization");
            boolean room = out.size() < maxHeaders && total < maxTotalChars;
            if (!room && !(auth && extraAuth < MAX_EXTRA_AUTH)) {
                if (ids != null && carriesIdentity(lname)) {
                    value(h.name(), lname, h.value(), ids); // the record is bounded; the identities are not lost
                }
                dropped++;
                continue;
            }
            if (!room) {
                extraAuth++;
            }
            String name = Escape.bounded(h.name(), MAX_NAME);
            String value = Escape.bounded(value(h.name(), lname, h.value(), ids), maxValueChars);
            total += name.length() + value.length();
            out.add(new Header(name, value));
        }
        if (dropped > 0) {
            out.add(new Header("…", "«dropped:" + dropped + " headers»"));
        }
        return out;
    }

    private boolean carriesIdentity(String lname) {
        return lname.equals("authorization") || lname.equals("cookie") || tokenHeaders.matches(lname);
    }

    private String value(String name, String lname, String value, Identities ids) {
        if (value.isEmpty()) {
            return value;
        }
        if (lname.endsWith("authorization")) {
            return authorization(lname, value, lname.equals("authorization") ? ids : null);
        }
        if (tokenHeaders.matches(lname)) {
            return tokenHeader(value, ids);
        }
        if (lname.equals("cookie")) {
            return cookie(value, ids);
        }
        if (lname.equals("set-cookie")) {
            int semi = value.indexOf(';');
            return semi < 0 ? cookie(value, null) : cookie(value.substring(0, semi), null) + value.substring(semi);
        }
        if (isSensitive(lname)) {
            return SensitiveNames.marker(TextMasker.markerName(name, 0, name.length()));
        }
        return text.mask(value);
    }

    private boolean isSensitive(String lname) {
        // CORS headers name other headers ("Access-Control-Allow-Credentials: true"): evidence, not secrets.
        return !lname.startsWith("access-control-") && sensitive.matches(lname);
    }

    private String authorization(String lname, String value, Identities ids) {
        String v = value.strip();
        int sp = 0;
        while (sp < v.length() && v.charAt(sp) != ' ' && v.charAt(sp) != '\t') {
            sp++;
        }
        String scheme = sp < v.length() ? v.substring(0, sp) : null;
        String cred = scheme == null ? v : v.substring(sp).strip();
        if (scheme != null && (scheme.length() > 32 || !isToken(scheme))) {
            scheme = null;
            cred = v;
        }
        String prefix = scheme == null ? "" : scheme + " ";
        if (TextMasker.isMarker(cred, 0, cred.length())) {
            return prefix + cred; // masked before: keep, derive nothing from a marker
        }
        String ls = scheme == null ? null : scheme.toLowerCase(Locale.ROOT);
        if ("bearer".equals(ls) || "dpop".equals(ls)) {
            return cred.isEmpty() ? scheme : prefix + reference(cred, "bearer".equals(ls) ? "Bearer" : "DPoP", ids, true);
        }
        if (scheme == null && TextMasker.jwtEnd(cred, 0, cred.length()) == cred.length()) {
            return reference(cred, null, ids, true); // a bare JWT without a scheme word
        }
        if (scheme == null) {
            return SensitiveNames.marker(lname);
        }
        return prefix + SensitiveNames.marker("credentials");
    }

    private String tokenHeader(String value, Identities ids) {
        String v = value.strip();
        int sp = v.indexOf(' ');
        if (sp > 0) {
            String ls = v.substring(0, sp).toLowerCase(Locale.ROOT);
            if (ls.equals("bearer") || ls.equals("dpop")) {
                String cred = v.substring(sp).strip();
                return v.substring(0, sp) + " " + reference(cred, ls.equals("bearer") ? "Bearer" : "DPoP", ids, false);
            }
        }
        if (TextMasker.isMarker(v, 0, v.length())) {
            return v;
        }
        return reference(v, null, ids, false);
    }

    private String reference(String raw, String scheme, Identities ids, boolean fromAuthorization) {
        String ref = ids == null ? null : ids.add(raw, scheme, fromAuthorization);
        return ref != null ? ref : fingerprinter.reference(raw.strip());
    }

    /** {@code a=1; b=2} with values masked; configured token cookies feed the identities. */
    private String cookie(String value, Identities ids) {
        StringBuilder out = new StringBuilder(value.length() + 32);
        int a = 0;
        int n = value.length();
        while (a <= n) {
            int b = value.indexOf(';', a);
            if (b < 0) {
                b = n;
            }
            String seg = value.substring(a, b);
            int lead = 0;
            while (lead < seg.length() && seg.charAt(lead) == ' ') {
                lead++;
            }
            out.append(seg, 0, lead);
            int eq = seg.indexOf('=');
            if (eq < 0) {
                if (!seg.isBlank()) {
                    out.append(SensitiveNames.marker("cookie"));
                }
            } else {
                String cname = seg.substring(lead, eq).strip();
                String cval = seg.substring(eq + 1).strip();
                out.append(seg, lead, eq + 1);
                if (!cval.isEmpty()) {
                    if (ids != null && tokenCookies.matches(cname)) {
                        ids.add(unquote(cval), null, false);
                    }
                    out.append(SensitiveNames.marker(TextMasker.markerName(cname, 0, cname.length())));
                }
            }
            if (b < n) {
                out.append(';');
            }
            a = b + 1;
        }
        return out.toString();
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"' ? v.substring(1, v.length() - 1) : v;
    }

    /** RFC 9110 token characters. */
    private static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return !s.isEmpty();
    }
}
