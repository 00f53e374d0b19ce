package dev.tokentrail.index.identity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Lenient, non-verifying JWS decoding. Package-private: {@link TokenIdentity} is the surface. */
final class JwtDecoder {

    /** Longer values are fingerprinted but not decoded: bounded cost for hostile input. */
    static final int MAX_DECODED_CHARS = 64 * 1024;
    private static final int MAX_CLAIM_CHARS = 1024;
    private static final int MAX_AUD = 32;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64).maxNumberLength(64).maxStringLength(MAX_DECODED_CHARS).build())
            .build());

    private JwtDecoder() {
    }

    static TokenIdentity identify(String raw, String scheme, Fingerprinter fingerprinter) {
        if (raw == null) {
            return null;
        }
        String value = raw.strip();
        if (value.isEmpty()) {
            return null;
        }
        String fingerprint = fingerprinter.fingerprint(value);
        try {
            TokenIdentity jwt = decode(value, fingerprint, scheme);
            if (jwt != null) {
                return jwt;
            }
        } catch (RuntimeException | java.io.IOException malformed) {
            // Malformed input is normal here (opaque tokens, attacks); it is simply not a JWT.
        }
        return opaque(fingerprint, scheme);
    }

    private static TokenIdentity opaque(String fingerprint, String scheme) {
        return new TokenIdentity(TokenIdentity.Kind.OPAQUE, fingerprint, scheme, null, false, null, null, null, null,
                null, List.of(), null, null, null, null);
    }

    private static TokenIdentity decode(String value, String fingerprint, String scheme) throws java.io.IOException {
        if (value.length() > MAX_DECODED_CHARS) {
            return null;
        }
        int firstDot = value.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : value.indexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot < 0 || value.indexOf('.', secondDot + 1) >= 0 || secondDot == firstDot + 1) {
            return null; // not three segments (a JWE has five), or empty header/payload
        }
        JsonNode header = parseSegment(value.substring(0, firstDot));
        JsonNode claims = parseSegment(value.substring(firstDot + 1, secondDot));
        if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
            return null;
        }
        String alg = text(header.get("alg"));
        boolean unsigned = "none".equalsIgnoreCase(alg) || secondDot == value.length() - 1;
        return fromNodes(TokenIdentity.Kind.JWT, fingerprint, scheme, alg, unsigned, claims);
    }

    /**
     * Claims maps come from gateway plans (Gravitee's {@code jwt.claims} is a nimbus claims map): times are
     * {@link java.util.Date}s there, sometimes {@link Instant}s or epoch seconds elsewhere, and values may be
     * lists. Read field by field rather than through a JSON tree, which would turn a Date into epoch
     * milliseconds (read back as seconds: year 57,000) or fail outright on an Instant.
     */
    static TokenIdentity fromClaims(Map<String, ?> claims) {
        if (claims == null || claims.isEmpty()) {
            return null;
        }
        Object client = claims.get("azp") != null ? claims.get("azp") : claims.get("client_id");
        return new TokenIdentity(TokenIdentity.Kind.CLAIMS, null, null, null, false, str(claims.get("jti")),
                str(claims.get("sid")), str(claims.get("sub")), str(client), str(claims.get("iss")),
                audOf(claims.get("aud")), instantOf(claims.get("iat")), instantOf(claims.get("exp")),
                str(claims.get("typ")), scopeOf(claims.get("scope") != null ? claims.get("scope") : claims.get("scp")));
    }

    private static TokenIdentity fromNodes(TokenIdentity.Kind kind, String fingerprint, String scheme, String alg,
                                           boolean unsigned, JsonNode c) {
        String client = text(c.get("azp"));
        if (client == null) {
            client = text(c.get("client_id"));
        }
        return new TokenIdentity(kind, fingerprint, scheme, alg, unsigned, text(c.get("jti")), text(c.get("sid")),
                text(c.get("sub")), client, text(c.get("iss")), aud(c.get("aud")), instant(c.get("iat")),
                instant(c.get("exp")), text(c.get("typ")), scope(c.get("scope") != null ? c.get("scope") : c.get("scp")));
    }

    private static JsonNode parseSegment(String segment) throws java.io.IOException {
        byte[] bytes = base64(segment);
        if (bytes == null) {
            return null;
        }
        // Decode with replacement so invalid UTF-8 cannot make the parser throw halfway.
        String json = utf8(bytes);
        return JSON.readTree(json);
    }

    /** base64url, tolerating standard base64 (+/) and padding: some issuers get it wrong. */
    private static byte[] base64(String segment) {
        StringBuilder s = new StringBuilder(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char ch = segment.charAt(i);
            if (ch == '=') {
                continue;
            }
            s.append(ch == '+' ? '-' : ch == '/' ? '_' : ch);
        }
        try {
            return Base64.getUrlDecoder().decode(s.toString());
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException cannotHappenWithReplace) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static String text(JsonNode n) {
        if (n == null || n.isNull() || n.isContainerNode()) {
            return null;
        }
        // asText, never BigDecimal.toPlainString: "1e999999999" would expand to a billion digits.
        return bound(n.asText());
    }

    private static List<String> aud(JsonNode n) {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (n.isArray()) {
            var out = new ArrayList<String>();
            for (JsonNode a : n) {
                String t = text(a);
                if (t != null && out.size() < MAX_AUD) {
                    out.add(t);
                }
            }
            return out;
        }
        String t = text(n);
        return t == null ? List.of() : List.of(t);
    }

    private static Instant instant(JsonNode n) {
        if (n == null) {
            return null;
        }
        try {
            double seconds;
            if (n.isNumber()) {
                seconds = n.asDouble();
            } else if (n.isTextual() && n.asText().length() <= 64) {
                seconds = Double.parseDouble(n.asText().strip());
            } else {
                return null;
            }
            // Beyond year 9999 or NaN: not a time anyone issued.
            if (!(seconds >= 0 && seconds < 253_402_300_800d)) {
                return null;
            }
            return Instant.ofEpochMilli((long) (seconds * 1000));
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    private static String scope(JsonNode n) {
        if (n != null && n.isArray()) {
            var out = new StringBuilder();
            for (JsonNode a : n) {
                String t = text(a);
                if (t != null) {
                    out.append(out.isEmpty() ? "" : " ").append(t);
                }
            }
            return out.isEmpty() ? null : bound(out.toString());
        }
        return text(n);
    }

    private static String bound(String t) {
        return t == null || t.length() <= MAX_CLAIM_CHARS ? t : t.substring(0, MAX_CLAIM_CHARS);
    }

    private static String str(Object o) {
        if (o == null || o instanceof Map || o instanceof Collection || o.getClass().isArray()) {
            return null;
        }
        return bound(String.valueOf(o));
    }

    private static String scopeOf(Object o) {
        if (o instanceof Collection<?> c) {
            String joined = String.join(" ", c.stream().filter(x -> x != null).map(String::valueOf).limit(256).toList());
            return joined.isEmpty() ? null : bound(joined);
        }
        return str(o);
    }

    private static List<String> audOf(Object o) {
        if (o instanceof Collection<?> c) {
            return c.stream().map(JwtDecoder::str).filter(x -> x != null).limit(MAX_AUD).toList();
        }
        String one = str(o);
        return one == null ? List.of() : List.of(one);
    }

    /** A claim time: Date, Instant, epoch seconds as a number or numeric text; anything else null. */
    private static Instant instantOf(Object o) {
        try {
            if (o instanceof java.util.Date d) {
                return d.toInstant();
            }
            if (o instanceof Instant i) {
                return i;
            }
            if (o instanceof java.time.temporal.TemporalAccessor t) {
                return Instant.from(t);
            }
            double seconds;
            if (o instanceof Number n) {
                seconds = n.doubleValue();
            } else if (o instanceof CharSequence cs && cs.length() <= 64) {
                seconds = Double.parseDouble(cs.toString().strip());
            } else {
                return null;
            }
            return seconds >= 0 && seconds < 253_402_300_800d ? Instant.ofEpochMilli((long) (seconds * 1000)) : null;
        } catch (RuntimeException odd) {
            return null;
        }
    }
}
