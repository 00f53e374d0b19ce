package dev.tokentrail.index.mask;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.model.SensitiveNames;

/**
 * Pattern masking of free text: one left-to-right pass, no regular expressions (no backtracking
 * on hostile input), nothing allocated unless something is replaced.
 *
 * <ul>
 *   <li>a JWT-shaped run ({@code eyJ…}.{@code …}.{@code …}, JWE too) becomes its fingerprint reference;</li>
 *   <li>{@code name=value}, {@code name: value}, {@code "name":"value"}, {@code name => value}
 *       with a sensitive name: the value becomes a marker (a reference when it is a JWT); an
 *       {@code Authorization}-style value keeps its scheme word;</li>
 *   <li>optionally card numbers (13-19 digits, spaces or dashes between, Luhn-valid);</li>
 *   <li>for XML, the text of an element with a sensitive local name ({@code <wsse:Password>}).</li>
 * </ul>
 * Used for text bodies, for JSON string values and unparsable JSON tails, and for header values.
 */
final class TextMasker {

    /** Quoted keys longer than this are not keys. */
    private static final int MAX_KEY = 256;
    private static final int MAX_MARKER_NAME = 64;
    private static final int MAX_TAG = 1024;
    private static final String[] SCHEMES = {"bearer", "basic", "dpop", "digest", "negotiate", "ntlm", "token", "jwt",
        "mac", "hoba", "aws4-hmac-sha256"};

    private final Fingerprinter fingerprinter;
    private final Names fields;
    private final boolean cards;

    TextMasker(Fingerprinter fingerprinter, Names fields, boolean cards) {
        this.fingerprinter = fingerprinter;
        this.fields = fields;
        this.cards = cards;
    }

    /** The masked text, or {@code s} itself when nothing needed masking. */
    String mask(String s) {
        return mask(s, false);
    }

    String mask(String s, boolean xml) {
        if (s == null || s.isEmpty() || nothingToFind(s, xml)) {
            return s;
        }
        StringBuilder out = scan(s, 0, s.length(), xml, null);
        return out == null ? s : out.toString();
    }

    /**
     * Most values hold nothing maskable: no key without a separator, no JWT without "eyJ", no card
     * without a digit, no element without '<'. String.indexOf is vectorized; the scan is not.
     */
    private boolean nothingToFind(String s, boolean xml) {
        if (s.indexOf('=') >= 0 || s.indexOf(':') >= 0 || s.indexOf("eyJ") >= 0 || xml && s.indexOf('<') >= 0) {
            return false;
        }
        if (cards) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= '0' && c <= '9') {
                    return false;
                }
            }
        }
        return true;
    }

    /** Appends the masked {@code s[from, to)} to {@code out}. */
    void maskInto(CharSequence s, int from, int to, boolean xml, StringBuilder out) {
        int start = out.length();
        StringBuilder r = scan(s, from, to, xml, out);
        if (r == null) {
            out.setLength(start);
            out.append(s, from, to);
        }
    }

    /** The replacement for a value under a sensitive name: a reference for a JWT, else a marker. */
    String maskValue(String value, String name) {
        return maskedValue(value, 0, value.length(), markerName(name, 0, name.length()));
    }

    /** The reference for a raw credential, the same as {@link Fingerprinter#reference(String)}. */
    String reference(CharSequence raw) {
        return fingerprinter.reference(raw.toString());
    }

    /**
     * Scans {@code s[from, to)}. Returns null when nothing changed and {@code out} was null;
     * otherwise the builder holding the whole masked range (appended to {@code out} if given).
     */
    private StringBuilder scan(CharSequence s, int from, int to, boolean xml, StringBuilder out) {
        int last = from;
        int i = from;
        int noJwtBefore = from;
        boolean given = out != null;
        while (i < to) {
            char c = s.charAt(i);
            if (c == 'e' && i >= noJwtBefore && i + 2 < to && s.charAt(i + 1) == 'y' && s.charAt(i + 2) == 'J') {
                int end = jwtEnd(s, i, to);
                if (end > 0) {
                    out = flush(out, s, last, i, given, from);
                    out.append(reference(s.subSequence(i, end)));
                    i = last = end;
                    continue;
                }
                noJwtBefore = -end - 1;
            }
            if (c == '«') {
                int close = i + 1;
                int limit = Math.min(to, i + 2 + MAX_MARKER_NAME + 8);
                while (close < limit && s.charAt(close) != '»' && s.charAt(close) != '«') {
                    close++;
                }
                if (close < limit && s.charAt(close) == '»' && isMarker(s, i, close + 1)) {
                    i = close + 1; // our own marker: "«token:…»" is not a "token:" key
                    continue;
                }
            }
            if (cards && c >= '0' && c <= '9' && (i == from || !Character.isLetterOrDigit(s.charAt(i - 1)))) {
                int end = cardEnd(s, i, to);
                if (end > 0) {
                    out = flush(out, s, last, i, given, from);
                    out.append(SensitiveNames.marker("card"));
                    i = last = end;
                    continue;
                }
                i = digitsEnd(s, i, to);
                continue;
            }
            if (xml && c == '<') {
                int next = xmlElement(s, i, to);
                if (next < 0) {
                    i++;
                    continue;
                }
                int gt = next;
                int contentEnd = lessThan(s, gt + 1, to);
                if (!blank(s, gt + 1, contentEnd)) {
                    out = flush(out, s, last, gt + 1, given, from);
                    out.append(maskedValue(s, gt + 1, contentEnd, tagLocalName(s, i, gt)));
                    last = contentEnd;
                }
                i = contentEnd;
                continue;
            }
            if (c == '"' && i + 1 < to && keyPosition(s, i, from)) {
                // A quoted key with escapes ("pass\u0077ord"): decode before deciding. Plain quoted keys
                // are handled by the identifier branch below.
                int close = quotedKeyEnd(s, i + 1, to);
                if (close > 0) {
                    String key = unescape(s, i + 1, close);
                    int sep = separator(s, close + 1, to);
                    if (sep > 0 && fields.matches(key)) {
                        int[] span = valueSpan(s, sep + 1, to);
                        if (span != null) {
                            out = flush(out, s, last, span[0], given, from);
                            out.append(maskedValue(s, span[0], span[1], key));
                            i = last = span[1];
                            continue;
                        }
                    }
                }
                i++;
                continue;
            }
            if (isIdentStart(c) && (i == from || !isIdent(s.charAt(i - 1)))) {
                int k = identEnd(s, i, to);
                int sep = separator(s, k, to);
                if (sep > 0 && fields.matches(s, i, k)) {
                    int[] span = valueSpan(s, sep + 1, to);
                    if (span != null) {
                        out = flush(out, s, last, span[0], given, from);
                        out.append(maskedValue(s, span[0], span[1], markerName(s, i, k)));
                        i = last = span[1];
                        continue;
                    }
                }
                // Resume inside the run where a JWT could start ("x.eyJ…" is one identifier run).
                int j = indexOfEyJ(s, i + 1, k);
                i = j > 0 ? j : k;
                continue;
            }
            i++;
        }
        if (out == null) {
            return null;
        }
        out.append(s, last, to);
        return out;
    }

    private static StringBuilder flush(StringBuilder out, CharSequence s, int last, int upTo, boolean given,
                                       int from) {
        if (out == null) {
            out = new StringBuilder(s.length() - from + 32);
        }
        out.append(s, last, upTo);
        return out;
    }

    /** What replaces a sensitive value: a reference for a JWT, scheme plus marker for credentials, else a marker. */
    private String maskedValue(CharSequence s, int a, int b, String name) {
        if (isMarker(s, a, b)) {
            return s.subSequence(a, b).toString(); // masking twice changes nothing (and keeps references)
        }
        int end = jwtEnd(s, a, b);
        if (end == b) {
            return reference(s.subSequence(a, b));
        }
        int sp = schemeEnd(s, a, b);
        if (sp > 0) {
            int cred = sp;
            while (cred < b && s.charAt(cred) == ' ') {
                cred++;
            }
            String scheme = s.subSequence(a, sp).toString();
            return jwtEnd(s, cred, b) == b ? scheme + " " + reference(s.subSequence(cred, b))
                    : scheme + " " + SensitiveNames.marker(name);
        }
        return SensitiveNames.marker(name);
    }

    /** Exactly {@code «token:<22 base64url>»} or {@code «masked:<name chars>»}. */
    static boolean isMarker(CharSequence s, int a, int b) {
        if (b - a < 4 || s.charAt(a) != '«' || s.charAt(b - 1) != '»') {
            return false;
        }
        String t = s.subSequence(a + 1, b - 1).toString();
        if (t.startsWith("token:")) {
            return t.length() == 6 + 22 && b64End(t, 6, t.length(), false) == t.length();
        }
        if (t.startsWith("masked:")) {
            for (int k = 7; k < t.length(); k++) {
                char c = t.charAt(k);
                if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** If {@code s[a, b)} starts with an auth scheme word followed by a space and more, the scheme's end. */
    private static int schemeEnd(CharSequence s, int a, int b) {
        for (String scheme : SCHEMES) {
            int e = a + scheme.length();
            if (e + 1 < b && s.charAt(e) == ' ' && regionMatchesIgnoreCase(s, a, scheme)) {
                return e;
            }
        }
        return -1;
    }

    private static boolean regionMatchesIgnoreCase(CharSequence s, int a, String lower) {
        for (int k = 0; k < lower.length(); k++) {
            if (Character.toLowerCase(s.charAt(a + k)) != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * After a key ending at {@code k}: optional closing quote(s)/backslash and blanks, then {@code =},
     * {@code :} or {@code =>}. Returns the index of the last separator character, or -1.
     */
    private static int separator(CharSequence s, int k, int to) {
        int p = k;
        int limit = Math.min(to, k + 16);
        while (p < limit) {
            char c = s.charAt(p);
            if (c == '"' || c == '\'' || c == '\\' || c == ']' || c == ' ' || c == '\t') {
                p++;
            } else {
                break;
            }
        }
        if (p >= to) {
            return -1;
        }
        char c = s.charAt(p);
        if (c == '=') {
            return p + 1 < to && s.charAt(p + 1) == '>' ? p + 1 : p;
        }
        if (c == ':') {
            // "https://..." is a URL scheme, not a key (and no sensitive name is a URL scheme anyway).
            return p + 2 < to && s.charAt(p + 1) == '/' && s.charAt(p + 2) == '/' ? -1 : p;
        }
        return -1;
    }

    /**
     * The value after a separator: blanks skipped; a quoted value runs to its closing quote (or the end
     * of the text: a cut value is masked too); an unquoted one to the next delimiter, extended over a
     * credential after a scheme word. Returns {start, end} or null when there is no value.
     */
    private static int[] valueSpan(CharSequence s, int p, int to) {
        while (p < to && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
            p++;
        }
        boolean escapedQuote = false;
        if (p < to && s.charAt(p) == '\\' && p + 1 < to && (s.charAt(p + 1) == '"' || s.charAt(p + 1) == '\'')) {
            escapedQuote = true; // JSON inside a JSON string: \"password\":\"x\"
            p++;
        }
        if (p >= to) {
            return null;
        }
        char q = s.charAt(p);
        if (q == '"' || q == '\'') {
            int start = p + 1;
            int e = start;
            while (e < to) {
                char c = s.charAt(e);
                if (escapedQuote) {
                    if (c == '\\' && e + 1 < to && s.charAt(e + 1) == q) {
                        break;
                    }
                } else if (c == '\\') {
                    e += 2;
                    continue;
                } else if (c == q) {
                    break;
                }
                e++;
            }
            e = Math.min(e, to);
            return e > start ? new int[] {start, e} : null;
        }
        if (q == '{' || q == '[') {
            return null; // a structure: its own keys are checked one by one
        }
        int e = delimiterEnd(s, p, to);
        if (e > p && schemeEnd(s, p, Math.min(to, e + 2)) == e) {
            int cred = e;
            while (cred < to && s.charAt(cred) == ' ') {
                cred++;
            }
            int credEnd = delimiterEnd(s, cred, to);
            if (credEnd > cred) {
                e = credEnd;
            }
        }
        return e > p ? new int[] {p, e} : null;
    }

    private static int delimiterEnd(CharSequence s, int p, int to) {
        int e = p;
        while (e < to) {
            char c = s.charAt(e);
            if (c <= ' ' || c == '&' || c == ';' || c == ',' || c == '"' || c == '\'' || c == '<' || c == '>'
                    || c == ')' || c == ']' || c == '}' || c == '\\') {
                break;
            }
            e++;
        }
        return e;
    }

    /**
     * End of a JWT-shaped run starting at {@code i} (which holds "eyJ"), or {@code -(skip + 1)} on failure,
     * where no JWT can start before {@code skip} either: the caller skips those candidates, which keeps
     * the scan linear on input like {@code eyJ.eyJ.eyJ…}.
     */
    static int jwtEnd(CharSequence s, int i, int to) {
        // Strict base64url first, so a token in a path ("/magic/eyJ….sig/open") ends where the token
        // ends and its reference equals the Authorization header's. Only then the lenient alphabet
        // (standard base64 with padding, as some issuers emit). A lenient failure rules out a strict
        // match at every later start in the same run, so its skip is the one to use.
        int strict = jwtEnd(s, i, to, false);
        return strict > 0 ? strict : jwtEnd(s, i, to, true);
    }

    private static int jwtEnd(CharSequence s, int i, int to, boolean lenient) {
        if (i + 3 > to || s.charAt(i) != 'e' || s.charAt(i + 1) != 'y' || s.charAt(i + 2) != 'J') {
            return -(i + 2);
        }
        int q = b64End(s, i, to, lenient);
        if (q - i < 10 || q >= to || s.charAt(q) != '.') {
            return -(q + 1); // a later start inside this header has an even shorter one
        }
        int p = q;
        int dots = 0;
        int[] segLen = new int[5];
        while (p < to && s.charAt(p) == '.' && dots < 4) {
            int e = b64End(s, p + 1, to, lenient);
            segLen[++dots] = e - (p + 1);
            p = e;
        }
        // A sentence ending right after a token: a trailing dot beyond the second is punctuation.
        while (dots > 2 && segLen[dots] == 0) {
            p--;
            dots--;
        }
        if (dots < 2 || segLen[1] == 0 && dots < 4) {
            return -(p + 1); // later starts in this run see no more segments than this one
        }
        return p;
    }

    private static int b64End(CharSequence s, int p, int to, boolean lenient) {
        while (p < to) {
            char c = s.charAt(p);
            if (!(isB64(c) || lenient && (c == '+' || c == '/' || c == '='))) {
                break;
            }
            p++;
        }
        return p;
    }

    private static boolean isB64(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    private static int indexOfEyJ(CharSequence s, int from, int to) {
        for (int p = from; p + 2 < to; p++) {
            if (s.charAt(p) == 'e' && s.charAt(p + 1) == 'y' && s.charAt(p + 2) == 'J') {
                return p;
            }
        }
        return -1;
    }

    private static boolean isIdentStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c > 127 && Character.isLetter(c);
    }

    private static boolean isIdent(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                || c == '.' || c == '[' || c > 127 && Character.isLetterOrDigit(c);
    }

    private static int identEnd(CharSequence s, int i, int to) {
        int k = i;
        while (k < to && isIdent(s.charAt(k))) {
            k++;
        }
        return k;
    }

    /** A JSON key can only follow '{' or ',' (or start the text): other quotes are not tried as keys. */
    private static boolean keyPosition(CharSequence s, int quote, int from) {
        for (int p = quote - 1; p >= from && p >= quote - 8; p--) {
            char c = s.charAt(p);
            if (c == '{' || c == ',') {
                return true;
            }
            if (!Character.isWhitespace(c)) {
                return false;
            }
        }
        return quote == from;
    }

    /** Closing quote of a short quoted key that contains an escape, else -1. */
    private static int quotedKeyEnd(CharSequence s, int start, int to) {
        boolean escaped = false;
        int limit = Math.min(to, start + MAX_KEY);
        for (int p = start; p < limit; p++) {
            char c = s.charAt(p);
            if (c == '\\') {
                escaped = true;
                p++;
            } else if (c == '"') {
                return escaped ? p : -1;
            } else if (c < ' ') {
                return -1;
            }
        }
        return -1;
    }

    /** JSON string escapes decoded; malformed escapes kept literally. */
    static String unescape(CharSequence s, int from, int to) {
        StringBuilder b = new StringBuilder(to - from);
        for (int p = from; p < to; p++) {
            char c = s.charAt(p);
            if (c != '\\' || p + 1 >= to) {
                b.append(c);
                continue;
            }
            char n = s.charAt(++p);
            switch (n) {
                case 'u' -> {
                    int v = p + 4 < to ? hex4(s, p + 1) : -1;
                    if (v >= 0) {
                        b.append((char) v);
                        p += 4;
                    } else {
                        b.append('\\').append('u');
                    }
                }
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                default -> b.append(n);
            }
        }
        return b.toString();
    }

    private static int hex4(CharSequence s, int p) {
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int d = Character.digit(s.charAt(p + k), 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }

    /** A key as it may appear in a marker: bounded, letters, digits and {@code _-.} only. */
    static String markerName(CharSequence s, int from, int to) {
        StringBuilder b = new StringBuilder(Math.min(to - from, MAX_MARKER_NAME));
        for (int p = from; p < to && b.length() < MAX_MARKER_NAME; p++) {
            char c = s.charAt(p);
            if (Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.') {
                b.append(c);
            }
        }
        return b.toString();
    }

    // --- cards -------------------------------------------------------------------------------

    private static int digitsEnd(CharSequence s, int i, int to) {
        int p = i;
        while (p < to && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
            p++;
        }
        return p;
    }

    /** End of a Luhn-valid 13-19 digit run (single spaces or dashes between digits allowed), or -1. */
    private static int cardEnd(CharSequence s, int i, int to) {
        int[] digits = new int[19];
        int n = 0;
        int p = i;
        int end = -1;
        while (p < to) {
            char c = s.charAt(p);
            if (c >= '0' && c <= '9') {
                if (n == 19) {
                    return -1; // longer than any card number
                }
                digits[n++] = c - '0';
                p++;
                end = p;
            } else if ((c == ' ' || c == '-') && p + 1 < to && Character.isDigit(s.charAt(p + 1)) && n > 0) {
                p++;
            } else {
                break;
            }
        }
        if (n < 13 || end < to && Character.isLetterOrDigit(s.charAt(end))) {
            return -1;
        }
        int sum = 0;
        for (int k = 0; k < n; k++) {
            int d = digits[n - 1 - k];
            if (k % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0 ? end : -1;
    }

    // --- XML -----------------------------------------------------------------------------------

    /** For an opening tag at {@code lt} whose local name is sensitive: the index of its '>', else -1. */
    private int xmlElement(CharSequence s, int lt, int to) {
        int p = lt + 1;
        if (p >= to || !isIdentStart(s.charAt(p))) {
            return -1;
        }
        int nameEnd = p;
        while (nameEnd < to && (isIdent(s.charAt(nameEnd)) || s.charAt(nameEnd) == ':')) {
            nameEnd++;
        }
        int localStart = p;
        for (int k = p; k < nameEnd; k++) {
            if (s.charAt(k) == ':') {
                localStart = k + 1;
            }
        }
        if (!fields.matches(s, localStart, nameEnd)) {
            return -1;
        }
        int limit = Math.min(to, lt + MAX_TAG);
        for (int k = nameEnd; k < limit; k++) {
            char c = s.charAt(k);
            if (c == '<') {
                return -1;
            }
            if (c == '>') {
                return s.charAt(k - 1) == '/' ? -1 : k;
            }
        }
        return -1;
    }

    private static String tagLocalName(CharSequence s, int lt, int gt) {
        int p = lt + 1;
        int end = p;
        while (end < gt && (isIdent(s.charAt(end)) || s.charAt(end) == ':')) {
            end++;
        }
        int local = p;
        for (int k = p; k < end; k++) {
            if (s.charAt(k) == ':') {
                local = k + 1;
            }
        }
        return markerName(s, local, end);
    }

    private static int lessThan(CharSequence s, int from, int to) {
        for (int p = from; p < to; p++) {
            if (s.charAt(p) == '<') {
                return p;
            }
        }
        return to;
    }

    private static boolean blank(CharSequence s, int from, int to) {
        for (int p = from; p < to; p++) {
            if (!Character.isWhitespace(s.charAt(p))) {
                return false;
            }
        }
        return true;
    }
}
