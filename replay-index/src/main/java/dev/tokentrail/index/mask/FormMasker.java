package dev.tokentrail.index.mask;

import dev.tokentrail.index.model.SensitiveNames;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code application/x-www-form-urlencoded} bodies and URL query strings. Keys are percent-decoded
 * before they are compared ({@code pass%77ord} is {@code password}); the stored text keeps the key
 * as it was sent. A value is decoded only to look inside it (a JWT, or a {@code code=} in an
 * encoded redirect URI), and stays as sent unless something in it was masked.
 */
final class FormMasker {

    /** Receives the decoded value of a configured token parameter. */
    interface TokenSink {
        void token(String name, String rawValue);
    }

    private final TextMasker text;
    private final Names fields;

    FormMasker(TextMasker text, Names fields) {
        this.text = text;
        this.fields = fields;
    }

    String mask(String s) {
        return mask(s, null, null);
    }

    /**
     * @param tokenParams parameters whose values are tokens: masked, and handed to {@code sink}
     */
    String mask(String s, Names tokenParams, TokenSink sink) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 32);
        int a = 0;
        int n = s.length();
        while (a <= n) {
            int b = s.indexOf('&', a);
            if (b < 0) {
                b = n;
            }
            pair(s, a, b, tokenParams, sink, out);
            if (b < n) {
                out.append('&');
            }
            a = b + 1;
        }
        return out.toString();
    }

    private void pair(String s, int a, int b, Names tokenParams, TokenSink sink, StringBuilder out) {
        int eq = a;
        while (eq < b && s.charAt(eq) != '=') {
            eq++;
        }
        if (eq == b) {
            text.maskInto(s, a, b, false, out);
            return;
        }
        String rawKey = s.substring(a, eq);
        String key = decode(rawKey);
        String maskedKey = text.mask(rawKey);
        out.append(maskedKey).append('=');
        if (eq + 1 == b) {
            return; // empty value: nothing to hide
        }
        String rawValue = s.substring(eq + 1, b);
        String name = TextMasker.markerName(key, 0, key.length());
        if (tokenParams != null && tokenParams.matches(key)) {
            if (sink != null) {
                sink.token(name, decode(rawValue));
            }
            out.append(SensitiveNames.marker(name));
        } else if (fields.matches(key)) {
            out.append(text.maskValue(decode(rawValue), name));
        } else {
            boolean encoded = rawValue.indexOf('%') >= 0 || rawValue.indexOf('+') >= 0;
            String value = encoded ? decode(rawValue) : rawValue;
            String masked = text.mask(value);
            if (masked == value) {
                out.append(rawValue);
            } else if (!encoded) {
                out.append(masked);
            } else {
                // A secret was found inside an encoded value: store the decoded, masked form, re-encoding
                // only what would break the pair structure.
                encodeLight(masked, out);
            }
        }
    }

    /** Lenient percent-decoding ('+' is a space); malformed escapes stay literal; UTF-8 with replacement. */
    static String decode(String s) {
        int pct = s.indexOf('%');
        if (pct < 0) {
            return s.indexOf('+') < 0 ? s : s.replace('+', ' ');
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()
                    && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] u = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    u = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(u, 0, u.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void encodeLight(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("%26");
                case '=' -> out.append("%3D");
                case '%' -> out.append("%25");
                case '+' -> out.append("%2B");
                case '#' -> out.append("%23");
                case ' ' -> out.append('+');
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
