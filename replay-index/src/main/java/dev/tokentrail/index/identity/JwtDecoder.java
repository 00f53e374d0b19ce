package dev.tokentrail.index.identity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
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

    static TokenIdentity fromClaims(Map<String, ?> claims) {
        if (claims == null || claims.isEmpty()) {
            return null;
        }
        try {
            JsonNode node = JSON.valueToTree(claims);
            if (node != null && node.isObject()) {
                return fromNodes(TokenIdentity.Kind.CLAIMS, null, null, null, false, node);
            }
        } catch (RuntimeException odd) {
            // claim values of types Jackson cannot map: fall through to field-by-field reading
        }
        return new TokenIdentity(TokenIdentity.Kind.CLAIMS, null, null, null, false, str(claims.get("jti")),
                str(claims.get("sid")), str(claims.get("sub")),
                str(claims.get("azp") != null ? claims.get("azp") : claims.get("client_id")), str(claims.get("iss")),
                audOf(claims.get("aud")), null, null, str(claims.get("typ")), str(claims.get("scope")));
    }

    private static TokenIdentity fromNodes(TokenIdentity.Kind kind, String fingerprint, String scheme, String alg,
                                           boolean unsigned, JsonNode c) {
        String client = text(c.get("azp"));
        if (client == null) {
            client = text(c.get("client_id"));
        }
        return new TokenIdentity(kind, fingerprint, scheme, alg, unsigned, text(c.get("jti")), text(c.get("sid")),
                text(c.get("sub")), client, text(c.get("iss")), aud(c.get("aud")), instant(c.get("iat")),
                instant(c.get("exp")), text(c.get("typ")), text(c.get("scope")));
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
        String t = n.isNumber() ? n.numberValue() instanceof BigDecimal bd ? bd.toPlainString() : n.asText() : n.asText();
        return t.length() > MAX_CLAIM_CHARS ? t.substring(0, MAX_CLAIM_CHARS) : t;
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
            } else if (n.isTextual()) {
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

    private static String str(Object o) {
        return o == null || o instanceof Map || o instanceof Collection ? null : String.valueOf(o);
    }

    private static List<String> audOf(Object o) {
        if (o instanceof Collection<?> c) {
            return c.stream().filter(x -> x != null).map(String::valueOf).limit(MAX_AUD).toList();
        }
        return o == null ? List.of() : List.of(String.valueOf(o));
    }
}
