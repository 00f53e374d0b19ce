package dev.tokentrail.viewer.export;

import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Header;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One exchange as a cURL command. Credentials become shell variables named for their kind
 * ({@code "$ACCESS_TOKEN"}, {@code "$REFRESH_TOKEN"}, {@code "$ID_TOKEN"}, {@code "$CLIENT_SECRET"},
 * {@code "$PASSWORD"}, {@code "$PROXY_CREDENTIALS"}, {@code "$BASIC_CREDENTIALS"}, else
 * {@code "$SECRET_<NAME>"}), declared in a comment above the command, so the command replays only
 * with credentials the investigator supplies. The kind comes from the name the credential travelled
 * under (header, form field, query parameter, JSON member), never from its value, which is never
 * reproduced. Two different credentials of one kind get two variables ({@code ACCESS_TOKEN},
 * {@code ACCESS_TOKEN_2}); the same token (same fingerprint) met twice gets one. Everything else
 * is single-quoted; control characters are written as {@code $'\xNN'} so a smuggled CR/LF cannot
 * split the command or a header.
 */
public final class CurlExport {

    /** Headers curl computes itself or that make no sense to replay. */
    private static final Set<String> SKIP = Set.of("content-length", "host", "connection", "transfer-encoding");
    /** How far before a marker its name is looked for. */
    private static final int LOOK_BACK = 300;
    /*
     * The name a marker stands for, read backwards from the marker: each pattern is matched once,
     * anchored, against the reversed text before it, so the cost per marker is bounded by
     * LOOK_BACK whatever the captured text holds.
     */
    /** {@code name=«…»} in a query or form body (reversed). */
    private static final Pattern FORM_NAME = Pattern.compile("=([^&?=;\\s\"'«»]{1,200})(?:[?&;\\s]|$)");
    /** {@code "name": "«…»"} or {@code "name": "Bearer «…»"} in JSON (reversed). */
    private static final Pattern JSON_NAME = Pattern.compile(
            "(?: ([A-Za-z0-9-]{0,20}[A-Za-z]))?\"\\s*:\\s*\"([^\"\\\\\\n]{1,200})\"");
    /** {@code <name>«…»} in XML (reversed). */
    private static final Pattern XML_NAME = Pattern.compile(">([\\w.:-]{0,200}[A-Za-z_])<");
    /** {@code Name: «…»} or {@code Name: Bearer «…»} in a header or similar text (reversed). */
    private static final Pattern COLON_NAME = Pattern.compile(
            "(?: +([A-Za-z0-9-]{0,20}[A-Za-z]))?[ \\t]*:([A-Za-z0-9_.-]{1,200})(?:[\\s{,;]|$)");
    /** Revocation and introspection say which kind of token {@code token} is. */
    private static final Pattern REFRESH_HINT = Pattern.compile(
            "token_type_hint(?:=|\"\\s*:\\s*\")refresh_token\\b", Pattern.CASE_INSENSITIVE);

    private CurlExport() {
    }

    public static String of(Exchange x) {
        Words words = new Words(refreshHint(x));
        StringBuilder cmd = new StringBuilder("curl");
        String method = x.method() == null ? "GET" : x.method().toUpperCase(Locale.ROOT);
        if (!method.equals("GET")) {
            cmd.append(" -X ").append(words.word(method));
        }
        cmd.append(' ').append(words.word(url(x)));
        for (Header h : x.requestHeaders()) {
            String n = h.name().toLowerCase(Locale.ROOT);
            if (SKIP.contains(n)) {
                continue;
            }
            String w;
            if (Credentials.isCredentialHeader(h.name())) {
                String value = h.value() == null ? "" : h.value();
                String scheme = schemeOf(value);
                String base = n.equals("authorization") || n.equals("proxy-authorization")
                        ? Credentials.authorizationPlaceholder(n, scheme) : Credentials.placeholder(h.name(), scheme, words.refreshHint);
                String fp = fingerprintIn(value);
                w = words.word(h.name() + ": " + (scheme == null ? "" : scheme + " "),
                        words.var(base, fp != null ? "token:" + fp : "header:" + n));
            } else {
                w = words.word(h.name() + ": " + h.value());
            }
            cmd.append(" \\\n  -H ").append(w);
        }
        if (x.requestBody().text() != null) {
            cmd.append(" \\\n  --data-raw ").append(words.word(x.requestBody().text()));
            if (x.requestBody().truncated()) {
                cmd.append("  # body truncated at capture: ").append(x.requestBody().originalSize()).append(" bytes on the wire");
            }
        }
        StringBuilder out = new StringBuilder("# Replay of exchange ").append(oneLine(x.id())).append(" (")
                .append(x.time()).append(")\n");
        if (!words.vars.isEmpty()) {
            out.append("# Credentials were not captured; set them first:\n");
            for (String v : words.vars) {
                out.append("#   export ").append(v).append("=...\n");
            }
        }
        return out.append(cmd).append('\n').toString();
    }

    private static boolean refreshHint(Exchange x) {
        return x.query() != null && REFRESH_HINT.matcher(x.query()).find()
                || x.requestBody().text() != null && REFRESH_HINT.matcher(x.requestBody().text()).find();
    }

    /** The scheme word of an Authorization value (Bearer, DPoP, Basic), when it is a plain word. */
    private static String schemeOf(String value) {
        int sp = value.indexOf(' ');
        String s = sp > 0 ? value.substring(0, sp) : null;
        return s != null && s.matches("[A-Za-z][A-Za-z0-9-]{0,20}") ? s : null;
    }

    /** The fingerprint of the first {@code «token:…»} marker in a value, if any. */
    private static String fingerprintIn(String value) {
        Matcher m = Credentials.MARKER.matcher(value);
        while (m.find()) {
            if (m.group(1).equals("token")) {
                return m.group(2);
            }
        }
        return null;
    }

    static String url(Exchange x) {
        String scheme = x.scheme() == null ? "http" : x.scheme();
        String host = x.host() == null || x.host().isBlank() ? "gateway.invalid" : x.host();
        String path = x.path() == null || x.path().isEmpty() ? "/" : x.path();
        return scheme + "://" + host + path + (x.query() == null || x.query().isEmpty() ? "" : "?" + x.query());
    }

    /** A shell variable standing in for a credential. */
    record Var(String name) {
        Var {
            name = Credentials.variable(name);
        }
    }

    /** The words of one command, and the variables they use. */
    static final class Words {

        final Set<String> vars = new TreeSet<>();
        final boolean refreshHint;
        /** Per placeholder kind: the credentials seen, in order (the n-th gets {@code KIND_n}). */
        private final Map<String, List<String>> seen = new HashMap<>();

        Words(boolean refreshHint) {
            this.refreshHint = refreshHint;
        }

        /**
         * The variable for a credential of kind {@code base}: one per distinct credential, the first
         * plain {@code base}, the next {@code base_2}… A credential is known by its fingerprint
         * ({@code «token:fp»}); one masked by name ({@code «masked:access_token»}) or a whole header
         * has no fingerprint and is known by that name, so it never shares a variable with a
         * fingerprinted one: two variables for one value are a nuisance, one variable for two values
         * would replay the wrong credential.
         */
        Var var(String base, String identity) {
            List<String> ids = seen.computeIfAbsent(base, k -> new ArrayList<>());
            int i = ids.indexOf(identity);
            if (i < 0) {
                ids.add(identity);
                i = ids.size() - 1;
            }
            return new Var(i == 0 ? base : base + "_" + (i + 1));
        }

        /**
         * Quotes one shell word made of literal text and variables. Masking markers inside literal
         * text become variables too, named for the field, parameter or header they stand in;
         * control characters become ANSI-C escapes. Only {@link Var} names (sanitized to
         * {@code [A-Z0-9_]}) ever appear outside single quotes.
         */
        String word(Object... pieces) {
            StringBuilder out = new StringBuilder();
            for (Object piece : pieces) {
                if (piece instanceof Var v) {
                    vars.add(v.name());
                    out.append("\"$").append(v.name()).append('"');
                    continue;
                }
                String s = (String) piece;
                Matcher m = Credentials.MARKER.matcher(s);
                int last = 0;
                while (m.find()) {
                    if (m.start() > last) {
                        out.append(quote(s.substring(last, m.start())));
                    }
                    Var v = markerVar(s, m);
                    vars.add(v.name());
                    out.append("\"$").append(v.name()).append('"');
                    last = m.end();
                }
                if (last < s.length()) {
                    out.append(quote(s.substring(last)));
                }
            }
            return out.isEmpty() ? "''" : out.toString();
        }

        /**
         * A {@code «token:fp»} marker is named by what it is the value of; a {@code «masked:name»}
         * marker by its own name (the one masking matched).
         */
        private Var markerVar(String s, Matcher m) {
            boolean token = m.group(1).equals("token");
            String[] named = nameBefore(s, m.start());
            String name = token ? (named == null ? null : named[0]) : m.group(2);
            String base = Credentials.placeholder(name, named == null ? null : named[1], refreshHint);
            return var(base, token ? "token:" + m.group(2) : "masked:" + m.group(2));
        }

        /** The name a marker at {@code at} was the value of, and a scheme word before it; null if none is seen. */
        private static String[] nameBefore(String s, int at) {
            String back = new StringBuilder(s.substring(Math.max(0, at - LOOK_BACK), at)).reverse().toString();
            Matcher m = FORM_NAME.matcher(back);
            if (m.lookingAt()) {
                return new String[] {decode(reverse(m.group(1))), null};
            }
            m = JSON_NAME.matcher(back);
            if (m.lookingAt()) {
                return new String[] {reverse(m.group(2)), reverse(m.group(1))};
            }
            m = XML_NAME.matcher(back);
            if (m.lookingAt()) {
                return new String[] {reverse(m.group(1)), null};
            }
            m = COLON_NAME.matcher(back);
            if (m.lookingAt()) {
                return new String[] {reverse(m.group(2)), reverse(m.group(1))};
            }
            return null;
        }

        private static String reverse(String s) {
            return s == null ? null : new StringBuilder(s).reverse().toString();
        }

        private static String decode(String name) {
            try {
                return URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return name;
            }
        }
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder();
        StringBuilder plain = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (!plain.isEmpty()) {
                    out.append('\'').append(plain.toString().replace("'", "'\\''")).append('\'');
                    plain.setLength(0);
                }
                out.append(String.format("$'\\x%02x'", (int) c));
            } else {
                plain.append(c);
            }
        }
        if (!plain.isEmpty() || out.isEmpty()) {
            out.append('\'').append(plain.toString().replace("'", "'\\''")).append('\'');
        }
        return out.toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\p{Cntrl}]", "?");
    }
}
