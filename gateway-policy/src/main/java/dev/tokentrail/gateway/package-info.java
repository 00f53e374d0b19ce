/**
 * Tokentrail Capture: a Gravitee APIM 4.10 V4 HTTP policy that turns each request/response it
 * sees into a masked {@code Exchange} and hands it to the node's replay-index shard writer.
 *
 * <p>What this package must never do: block a Vert.x event loop (no disk I/O, no Lucene, no
 * locks held on the request path), buffer a whole body, change a single byte or the timing of
 * what the client and backend exchange, store a raw credential (the {@code jwt.token} context
 * attribute is never read), or let a capture failure fail a request. It imports only
 * replay-index's public API and the Gravitee policy API; never Lucene.
 */
package dev.tokentrail.gateway;
