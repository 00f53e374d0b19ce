package dev.tokentrail.index.model;

import dev.tokentrail.index.identity.TokenIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One request/response seen by the gateway, after masking.
 *
 * @param id              gateway request id
 * @param transactionId   transaction id (shared by retries and chained calls)
 * @param time            start of the request
 * @param latency         time to the end of the response (null while unknown)
 * @param api             API id or name
 * @param plan            plan id
 * @param application     subscribing application id
 * @param applicationClientId the OAuth client id registered for that application, when the gateway knows it
 * @param method          HTTP method
 * @param scheme          http or https
 * @param host            Host header / authority, masked and bounded
 * @param path            request path (no query)
 * @param query           masked query string without '?', or null
 * @param requestHeaders  masked request headers in wire order
 * @param requestBody     bounded, masked request body
 * @param status          response status (0 when the exchange never got one)
 * @param responseHeaders masked response headers
 * @param responseBody    bounded, masked response body
 * @param peer            socket peer address (what TCP says, not what headers claim)
 * @param forwardedFor    the X-Forwarded-For chain as sent, left to right, each entry masked and bounded
 *                        (at most the last 32 hops); never trusted blindly
 * @param userAgent       User-Agent, masked and bounded
 * @param traceparent     W3C traceparent, if any, masked and bounded
 * @param tokens          identities of the credentials presented; usually one, more is evidence
 * @param node            the gateway node that recorded it
 */
public record Exchange(String id, String transactionId, Instant time, Duration latency, String api, String plan,
                       String application, String applicationClientId, String method, String scheme, String host, String path, String query,
                       List<Header> requestHeaders, Body requestBody, int status, List<Header> responseHeaders,
                       Body responseBody, String peer, List<String> forwardedFor, String userAgent,
                       String traceparent, List<TokenIdentity> tokens, String node) implements ReplayRecord {

    public Exchange {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(time, "time");
        requestHeaders = requestHeaders == null ? List.of() : List.copyOf(requestHeaders);
        responseHeaders = responseHeaders == null ? List.of() : List.copyOf(responseHeaders);
        requestBody = requestBody == null ? Body.NONE : requestBody;
        responseBody = responseBody == null ? Body.NONE : responseBody;
        forwardedFor = forwardedFor == null ? List.of() : List.copyOf(forwardedFor);
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    /**
     * Whether this exchange vouches for the claims of one of its tokens, so that they may link it to
     * the identity provider's trail (token id, session, user, client). A JWT's claims are whatever its
     * author wrote until a signature check says otherwise: an unsigned token ({@code alg: none}, an
     * empty signature) vouches for nothing, and neither does a token the gateway refused as a
     * credential (401). Such an exchange is still recorded and found through the token's keyed
     * fingerprint, which proves the exact bytes, never through the ids it claims.
     */
    public boolean vouches(TokenIdentity t) {
        return t != null && !t.unsigned() && status != 401;
    }

    /** The first presented token, or null. */
    public TokenIdentity token() {
        return tokens.isEmpty() ? null : tokens.get(0);
    }

    /**
     * A copy with every part a client chooses replaced (host, path, query, headers, bodies,
     * X-Forwarded-For, User-Agent, traceparent) and the identities derived: what masking produces.
     * Each one is a parameter so that no client-chosen field can be carried over raw by omission.
     */
    public Exchange withMasked(String maskedHost, String maskedPath, String maskedQuery, List<Header> reqHeaders,
                               Body reqBody, List<Header> resHeaders, Body resBody, List<String> maskedForwardedFor,
                               String maskedUserAgent, String maskedTraceparent, List<TokenIdentity> identities) {
        return new Exchange(id, transactionId, time, latency, api, plan, application, applicationClientId, method,
                scheme, maskedHost, maskedPath, maskedQuery, reqHeaders, reqBody, status, resHeaders, resBody, peer,
                maskedForwardedFor, maskedUserAgent, maskedTraceparent, identities, node);
    }

    /** Starts a builder; adapters fill what they know and leave the rest null. */
    public static Builder builder(String id, Instant time) {
        return new Builder(id, time);
    }

    /** Mutable builder for adapters that learn an exchange's parts over time (request, then response). */
    public static final class Builder {
        private final String id;
        private final Instant time;
        private String transactionId, api, plan, application, applicationClientId, method, scheme, host, path, query, peer, userAgent,
                traceparent, node;
        private Duration latency;
        private List<Header> requestHeaders = List.of(), responseHeaders = List.of();
        private Body requestBody = Body.NONE, responseBody = Body.NONE;
        private int status;
        private List<String> forwardedFor = List.of();
        private List<TokenIdentity> tokens = List.of();

        private Builder(String id, Instant time) {
            this.id = id;
            this.time = time;
        }

        public Builder transactionId(String v) { transactionId = v; return this; }
        public Builder latency(Duration v) { latency = v; return this; }
        public Builder api(String v) { api = v; return this; }
        public Builder plan(String v) { plan = v; return this; }
        public Builder application(String v) { application = v; return this; }
        public Builder applicationClientId(String v) { applicationClientId = v; return this; }
        public Builder method(String v) { method = v; return this; }
        public Builder scheme(String v) { scheme = v; return this; }
        public Builder host(String v) { host = v; return this; }
        public Builder path(String v) { path = v; return this; }
        public Builder query(String v) { query = v; return this; }
        public Builder requestHeaders(List<Header> v) { requestHeaders = v; return this; }
        public Builder requestBody(Body v) { requestBody = v; return this; }
        public Builder status(int v) { status = v; return this; }
        public Builder responseHeaders(List<Header> v) { responseHeaders = v; return this; }
        public Builder responseBody(Body v) { responseBody = v; return this; }
        public Builder peer(String v) { peer = v; return this; }
        public Builder forwardedFor(List<String> v) { forwardedFor = v; return this; }
        public Builder userAgent(String v) { userAgent = v; return this; }
        public Builder traceparent(String v) { traceparent = v; return this; }
        public Builder tokens(List<TokenIdentity> v) { tokens = v; return this; }
        public Builder node(String v) { node = v; return this; }

        public Exchange build() {
            return new Exchange(id, transactionId, time, latency, api, plan, application, applicationClientId, method,
                    scheme, host, path, query, requestHeaders, requestBody, status, responseHeaders, responseBody, peer, forwardedFor,
                    userAgent, traceparent, tokens, node);
        }
    }
}
