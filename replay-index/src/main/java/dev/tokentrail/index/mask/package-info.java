/**
 * Masking: what a record may hold before it is queued for storage.
 *
 * <p>{@link dev.tokentrail.index.mask.MaskingPolicy} is the only public type. Adapters run it on
 * their own node, on the gateway event loop or the IdP's request thread, for every captured body
 * prefix ({@code body(...)}) and every finished exchange ({@code mask(exchange)}), which also derives
 * the token identities presented (Authorization Bearer/DPoP, configured token headers, query
 * parameters and cookies), and for every identity provider event ({@code mask(event)}: its details).
 *
 * <p>What it does: secrets under sensitive names (headers, JSON fields after escape decoding, form
 * and query keys after percent decoding, multipart part names, XML elements, {@code name=value} in
 * text, event details; names compared as {@code model.SensitiveNames} normalizes them, so the
 * model's own guard agrees) become {@code «masked:<name>»}; JWT-shaped strings anywhere become {@code «token:<fp>»}, the
 * same keyed fingerprint the identity carries, so a token issued in one response and used in a later
 * request link up. Compressed and binary bodies keep only size, type and encoding. Header values are
 * escaped (CR, LF, NUL, line separators, bidi controls) and every list is bounded.
 *
 * <p>What it must never do:
 * <ul>
 *   <li>let a raw token, password, client secret, Basic credential or cookie value through, including
 *       a partial one from a body cut at the capture limit;</li>
 *   <li>throw on any input, recurse on input structure (100,000 nested arrays), or take more than
 *       linear time: no regular expressions, no trees, no decoding of compressed bodies;</li>
 *   <li>decode Basic credentials or compressed bodies into memory it keeps, or log what it masks;</li>
 *   <li>depend on Lucene or on an adapter's host API: it sees only the model and the identity package.</li>
 * </ul>
 */
package dev.tokentrail.index.mask;
