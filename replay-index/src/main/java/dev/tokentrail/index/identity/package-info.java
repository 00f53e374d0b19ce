/**
 * Token identity: who a bearer value is, without keeping the value.
 *
 * <p>{@link dev.tokentrail.index.identity.Fingerprinter} holds the per-installation HMAC key (one
 * owner-only file in the data root, created once, shared by every component on that root) and
 * turns a raw credential into a 128-bit keyed fingerprint and its visible reference
 * {@code «token:<fp>»}. {@link dev.tokentrail.index.identity.TokenIdentity} decodes a JWS payload's
 * claims (jti, sid, sub, azp/client_id, iss, aud, iat, exp, typ, scope, alg none) leniently, or
 * reads a claims map a gateway plan already validated.
 *
 * <p>What it must never do:
 * <ul>
 *   <li>keep the raw value anywhere, {@code toString} included, or write the key into an index,
 *       a log or an exception message;</li>
 *   <li>use a plain hash: a leaked index must not let anyone confirm a guessed token or brute-force a
 *       short API key;</li>
 *   <li>verify signatures (the gateway does) or throw on malformed input: anything that is not a
 *       three-part JWS with JSON object header and payload is {@code OPAQUE}, at bounded cost;</li>
 *   <li>silently replace an existing key: a truncated key file is an error that names the file.</li>
 * </ul>
 */
package dev.tokentrail.index.identity;
