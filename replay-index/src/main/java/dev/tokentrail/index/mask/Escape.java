package dev.tokentrail.index.mask;

/**
 * Makes header-like text inert: CR, LF, NUL and every other control character, Unicode line
 * separators and bidi overrides become visible escapes ({@code \r}, {@code \n}, {@code \0},
 * {@code \x07}, {@code \u2028}), so a stored value can never be re-read as a new header line, a new
 * log line, or reordered text in the viewer.
 */
final class Escape {

    private Escape() {
    }

    static String header(String s) {
        if (s == null) {
            return null;
        }
        int i = 0;
        int n = s.length();
        while (i < n && !needsEscape(s.charAt(i))) {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder b = new StringBuilder(n + 16).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (!needsEscape(c)) {
                b.append(c);
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == 0) {
                b.append("\\0");
            } else if (c < 0x100) {
                b.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    /** Escaped and cut to {@code max} characters (plus a note saying how much was cut). */
    static String bounded(String s, int max) {
        String e = header(s);
        if (e == null || e.length() <= max) {
            return e;
        }
        int cut = max;
        if (Character.isHighSurrogate(e.charAt(cut - 1))) {
            cut--;
        }
        return e.substring(0, cut) + "…«cut:" + (e.length() - cut) + " chars»";
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 && c != '\t' || c == 0x7f || c >= 0x80 && c <= 0x9f
                || c == '\u2028' || c == '\u2029'
                || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069'
                || c == '\u200e' || c == '\u200f' || c == '\u061c';
    }
}
