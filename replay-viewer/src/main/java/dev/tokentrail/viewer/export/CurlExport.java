package dev.tokentrail.viewer.export;

import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Header;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * One exchange as a cURL command. Credentials become shell variables ({@code "$ACCESS_TOKEN"}),
 * declared in a comment above the command, so the command replays only with a credential the
 * investigator supplies. Everything else is single-quoted; control characters are written as
 * {@code $'\xNN'} so a smuggled CR/LF cannot split the command or a header.
 */
public final class CurlExport {

    /** Headers curl computes itself or that make no sense to replay. */
    private static final Set<String> SKIP = Set.of("content-length", "host", "connection", "transfer-encoding");

    private CurlExport() {
    }

    public static String of(Exchange x) {
        Set<String> vars = new TreeSet<>();
        StringBuilder cmd = new StringBuilder("curl");
        String method = x.method() == null ? "GET" : x.method().toUpperCase(Locale.ROOT);
        if (!method.equals("GET")) {
            cmd.append(" -X ").append(word(vars, method));
        }
        cmd.append(' ').append(word(vars, url(x)));
        for (Header h : x.requestHeaders()) {
            String n = h.name().toLowerCase(Locale.ROOT);
            if (SKIP.contains(n)) {
                continue;
            }
            String w;
            if (Credentials.isCredentialHeader(h.name())) {
                String var = n.equals("authorization") || n.equals("proxy-authorization") ? "ACCESS_TOKEN"
                        : Credentials.variable(h.name());
                String scheme = schemeOf(h.value());
                w = word(vars, h.name() + ": " + (scheme == null ? "" : scheme + " "), new Var(var));
            } else {
                w = word(vars, h.name() + ": " + h.value());
            }
            cmd.append(" \\\n  -H ").append(w);
        }
        if (x.requestBody().text() != null) {
            cmd.append(" \\\n  --data-raw ").append(word(vars, x.requestBody().text()));
            if (x.requestBody().truncated()) {
                cmd.append("  # body truncated at capture: ").append(x.requestBody().originalSize()).append(" bytes on the wire");
            }
        }
        StringBuilder out = new StringBuilder("# Replay of exchange ").append(oneLine(x.id())).append(" (")
                .append(x.time()).append(")\n");
        if (!vars.isEmpty()) {
            out.append("# Credentials were not captured; set them first:\n");
            for (String v : vars) {
                out.append("#   export ").append(v).append("=...\n");
            }
        }
        return out.append(cmd).append('\n').toString();
    }

    /** The scheme word of an Authorization value (Bearer, DPoP, Basic), when it is a plain word. */
    private static String schemeOf(String value) {
        int sp = value.indexOf(' ');
        String s = sp > 0 ? value.substring(0, sp) : null;
        return s != null && s.matches("[A-Za-z][A-Za-z0-9-]{0,20}") ? s : null;
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

    /**
     * Quotes one shell word made of literal text and variables. Masking markers inside literal
     * text become variables too; control characters become ANSI-C escapes. Only {@link Var}
     * names (sanitized to {@code [A-Z0-9_]}) ever appear outside single quotes.
     */
    static String word(Set<String> vars, Object... pieces) {
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
                Var v = new Var(m.group(1).equals("token") ? "access_token" : m.group(2));
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
