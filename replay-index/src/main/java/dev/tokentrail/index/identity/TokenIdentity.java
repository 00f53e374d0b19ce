package dev.tokentrail.index.identity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Who a bearer value is, without the value. Built by {@link #of(String, Fingerprinter)} from a
 * raw token or by {@link #fromClaims(Map)} from claims a gateway plan already decoded.
 *
 * <p>Decoding does not verify signatures (the gateway does) and never throws: anything that is
 * not a well-formed JWS with a JSON object payload is {@link Kind#OPAQUE}. The raw value is kept
 * nowhere, {@code toString} included.
 *
 * @param kind        JWT, OPAQUE, or CLAIMS (claims only, no raw value seen)
 * @param fingerprint keyed HMAC fingerprint of the raw value (null for CLAIMS)
 * @param scheme      the Authorization scheme it came with (Bearer, DPoP), or null
 * @param alg         JWS {@code alg} header, for JWTs
 * @param unsigned    true for {@code alg: none} or an empty signature segment
 */
public record TokenIdentity(Kind kind, String fingerprint, String scheme, String alg, boolean unsigned,
                            String jti, String sid, String sub, String clientId, String iss, List<String> aud,
                            Instant iat, Instant exp, String typ, String scope) {

    /** What the bearer value was. */
    public enum Kind { JWT, OPAQUE, CLAIMS }

    public TokenIdentity {
        aud = aud == null ? List.of() : List.copyOf(aud);
    }

    /**
     * Decodes a raw bearer value. Returns null for null, empty or whitespace-only input: there is
     * no token there to identify.
     */
    public static TokenIdentity of(String raw, Fingerprinter fingerprinter) {
        return JwtDecoder.identify(raw, null, fingerprinter);
    }

    /** As {@link #of(String, Fingerprinter)}, remembering the scheme it was presented with. */
    public static TokenIdentity of(String raw, String scheme, Fingerprinter fingerprinter) {
        return JwtDecoder.identify(raw, scheme, fingerprinter);
    }

    /**
     * An identity from claims a gateway plan already validated and decoded (e.g. Gravitee's
     * {@code jwt.claims} attribute), when the raw token is no longer available.
     */
    public static TokenIdentity fromClaims(Map<String, ?> claims) {
        return JwtDecoder.fromClaims(claims);
    }

    /** Same identity, tagged with the scheme it was presented with. */
    public TokenIdentity withScheme(String newScheme) {
        return new TokenIdentity(kind, fingerprint, newScheme, alg, unsigned, jti, sid, sub, clientId, iss, aud,
                iat, exp, typ, scope);
    }

    /** The id that names this token in links: the jti when known, else the fingerprint. */
    public String linkId() {
        return jti != null ? jti : fingerprint;
    }
}
