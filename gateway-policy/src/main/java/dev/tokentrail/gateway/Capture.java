package dev.tokentrail.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentrail.gateway.configuration.TokentrailCapturePolicyConfiguration;
import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.mask.MaskingPolicy;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Header;
import dev.tokentrail.index.model.ReplayRecord;
import io.gravitee.gateway.api.http.HttpHeaders;
import io.gravitee.gateway.reactive.api.context.ContextAttributes;
import io.gravitee.gateway.reactive.api.context.http.HttpBaseRequest;
import io.gravitee.gateway.reactive.api.context.http.HttpPlainExecutionContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One exchange being watched: what the request looked like when the policy first saw it, the
 * two body taps, and — once the response has been sent — the hand-off to the node recorder.
 *
 * <p>Everything read from the gateway's context is read on the request's event loop and copied
 * into plain values; the record is built from those values only, possibly later and on another
 * thread, so it never touches a context that the gateway may already have recycled.
 */
final class Capture {

    /** Internal context attribute holding the capture between the request and the response phase. */
    static final String ATTRIBUTE = "tokentrail.capture";
    /** Set by Gravitee's JWT plan when it extracts claims: a {@code Map<String, Object>}. */
    static final String JWT_CLAIMS_ATTRIBUTE = "jwt.claims";
    /** Set by Gravitee's JWT and OAuth2 plans: the client id the token was issued to. */
    static final String OAUTH_CLIENT_ID_ATTRIBUTE = "oauth.client_id";
    /**
     * Set by Gravitee's OAuth2 plan: the introspection response (JSON text), which carries the
     * token's claims (jti, sid, sub, client_id, exp, ...) when the plan has removed the header.
     */
    static final String OAUTH_PAYLOAD_ATTRIBUTE = "oauth.payload";
    /** An introspection response larger than this is not read: claims are small, a flood is not. */
    static final int MAX_OAUTH_PAYLOAD = 64 * 1024;
    // Never read: "jwt.token", "oauth.access_token" (the raw token). Identity comes from the
    // header, a configured token header or parameter, or the plan's claims only.
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Guards against absurd header sets (B22): the record stays bounded whatever the client sends. */
    static final int MAX_HEADERS = 256;
    static final int MAX_HEADER_VALUE = 8 * 1024;

    private final TokentrailCapturePolicyConfiguration config;
    private final boolean sampled;
    private final String id;
    private final String transactionId;
    private final long timestampMillis;
    private final String method;
    private final String scheme;
    private final String host;
    private final String path;
    private final String rawQuery;
    private final List<Header> requestHeaders;
    private final String requestContentType;
    private final String requestContentEncoding;
    private final List<String> forwardedFor;
    private final String peer;
    private final String userAgent;
    private final String traceparent;
    final BodyTap requestBody;
    final BodyTap responseBody;
    private final AtomicBoolean finished = new AtomicBoolean();
    private boolean responseTapped;

    Capture(HttpPlainExecutionContext ctx, TokentrailCapturePolicyConfiguration config, boolean sampled) {
        this.config = config;
        this.sampled = sampled;
        HttpBaseRequest req = ctx.request();
        this.id = req.id();
        this.transactionId = req.transactionId();
        this.timestampMillis = req.timestamp() > 0 ? req.timestamp() : System.currentTimeMillis();
        this.method = req.method() == null ? null : req.method().name();
        this.scheme = req.scheme();
        this.host = req.originalHost() != null ? req.originalHost() : req.host();
        // The path the client asked for, before any context-path mapping by the gateway.
        String uri = req.uri();
        int q = uri == null ? -1 : uri.indexOf('?');
        this.path = uri == null ? req.path() : (q >= 0 ? uri.substring(0, q) : uri);
        this.rawQuery = q >= 0 ? uri.substring(q + 1) : null;
        HttpHeaders headers = req.headers();
        this.requestHeaders = copy(headers);
        this.requestContentType = headers.get("Content-Type");
        this.requestContentEncoding = headers.get("Content-Encoding");
        this.forwardedFor = forwardedChain(headers.getAll("X-Forwarded-For"));
        this.peer = SocketPeer.of(req, !forwardedFor.isEmpty());
        this.userAgent = bounded(headers.get("User-Agent"));
        this.traceparent = bounded(headers.get("traceparent"));
        int limit = config.maxBodyBytes();
        boolean reqText = config.captureRequestBody() && config.capturesContentType(requestContentType);
        this.requestBody = new BodyTap(reqText ? limit : 0);
        this.responseBody = new BodyTap(config.captureResponseBody() ? limit : 0);
    }

    boolean isResponseTapped() {
        return responseTapped;
    }

    void markResponseTapped() {
        responseTapped = true;
    }

    boolean markFinished() {
        return finished.compareAndSet(false, true);
    }

    /**
     * Reads what the response phase knows (status, headers, plan attributes, claims) and returns
     * the record builder, or null when sampling leaves this exchange out.
     */
    java.util.function.Function<NodeRecorder.Ready, ReplayRecord> finish(HttpPlainExecutionContext ctx) {
        int status = ctx.response().status();
        if (!sampled && status < 400) {
            return null;
        }
        long latencyMillis = Math.max(0, System.currentTimeMillis() - timestampMillis);
        HttpHeaders resHeaders = ctx.response().headers();
        List<Header> responseHeaders = copy(resHeaders);
        String resType = resHeaders.get("Content-Type");
        String resEncoding = resHeaders.get("Content-Encoding");
        String api = attribute(ctx, ContextAttributes.ATTR_API);
        String plan = attribute(ctx, ContextAttributes.ATTR_PLAN);
        String application = attribute(ctx, ContextAttributes.ATTR_APPLICATION);
        String clientId = attribute(ctx, OAUTH_CLIENT_ID_ATTRIBUTE);
        Map<String, Object> claims = claims(ctx.getAttribute(JWT_CLAIMS_ATTRIBUTE));
        // Kept as text here; parsed on the masking thread, off the event loop.
        String oauthPayload = ctx.getAttribute(OAUTH_PAYLOAD_ATTRIBUTE) instanceof String p ? p : null;

        boolean resText = config.captureResponseBody() && config.capturesContentType(resType);
        byte[] reqPrefix = requestBody.prefix();
        int reqLen = requestBody.captured();
        long reqTotal = requestBody.total();
        byte[] resPrefix = responseBody.prefix();
        int resLen = responseBody.captured();
        long resTotal = responseBody.total();
        boolean reqText = reqLen > 0 || (config.captureRequestBody() && config.capturesContentType(requestContentType));

        return ready -> {
            MaskingPolicy masking = ready.masking(config);
            // Identities from the Authorization header, token headers and token query parameters
            // are derived by the masking policy; a plan's claims are the one source only the
            // gateway knows.
            List<TokenIdentity> tokens = new ArrayList<>(1);
            for (Map<String, Object> c : java.util.Arrays.asList(claims, introspected(oauthPayload))) {
                TokenIdentity fromClaims = c == null ? null : TokenIdentity.fromClaims(c);
                if (fromClaims != null) {
                    tokens.add(fromClaims);
                }
            }
            Exchange raw = Exchange.builder(id, Instant.ofEpochMilli(timestampMillis))
                    .transactionId(transactionId)
                    .latency(Duration.ofMillis(latencyMillis))
                    .api(api).plan(plan).application(application).applicationClientId(clientId)
                    .method(method).scheme(scheme).host(host).path(path).query(rawQuery)
                    .requestHeaders(requestHeaders)
                    .requestBody(body(masking, reqText, reqPrefix, reqLen, reqTotal, requestContentType,
                            requestContentEncoding))
                    .status(status)
                    .responseHeaders(responseHeaders)
                    .responseBody(body(masking, resText, resPrefix, resLen, resTotal, resType, resEncoding))
                    .peer(peer).forwardedFor(forwardedFor).userAgent(userAgent).traceparent(traceparent)
                    .tokens(tokens)
                    .node(ready.node())
                    .build();
            Exchange masked = masking.mask(raw);
            return dedupeTokens(masked);
        };
    }

    private static Body body(MaskingPolicy masking, boolean asText, byte[] prefix, int len, long total,
                             String contentType, String contentEncoding) {
        if (total == 0) {
            return Body.NONE;
        }
        if (!asText) {
            return new Body(null, total, false, contentType, contentEncoding, Body.Form.OMITTED);
        }
        return masking.body(prefix, len, total, contentType, contentEncoding);
    }

    /**
     * The same token seen twice (Authorization header and plan claims, say) is one identity: keep
     * the fingerprinted one, which links to the raw value's other sightings.
     */
    static Exchange dedupeTokens(Exchange e) {
        if (e.tokens().size() < 2) {
            return e;
        }
        List<TokenIdentity> kept = new ArrayList<>(e.tokens().size());
        for (TokenIdentity t : e.tokens()) {
            boolean duplicate = false;
            for (int i = 0; i < kept.size() && !duplicate; i++) {
                TokenIdentity k = kept.get(i);
                if (t.fingerprint() != null && t.fingerprint().equals(k.fingerprint())) {
                    duplicate = true;
                } else if (t.jti() != null && t.jti().equals(k.jti())
                        && (t.kind() == TokenIdentity.Kind.CLAIMS || k.kind() == TokenIdentity.Kind.CLAIMS)) {
                    if (k.kind() == TokenIdentity.Kind.CLAIMS) {
                        kept.set(i, t);
                    }
                    duplicate = true;
                }
            }
            if (!duplicate) {
                kept.add(t);
            }
        }
        if (kept.size() == e.tokens().size()) {
            return e;
        }
        return e.withMasked(e.host(), e.path(), e.query(), e.requestHeaders(), e.requestBody(), e.responseHeaders(),
                e.responseBody(), e.forwardedFor(), e.userAgent(), e.traceparent(), kept);
    }

    /**
     * The claims of an OAuth2 plan's introspection response, or null when there is none, it is
     * not a JSON object, it is too large, or it says the token is not active.
     */
    static Map<String, Object> introspected(String payload) {
        if (payload == null || payload.isBlank() || payload.length() > MAX_OAUTH_PAYLOAD) {
            return null;
        }
        try {
            if (!(JSON.readValue(payload, Object.class) instanceof Map<?, ?> map)
                    || Boolean.FALSE.equals(map.get("active"))) {
                return null;
            }
            return claims(map);
        } catch (java.io.IOException e) {
            return null; // an introspection server's odd answer is not worth a failed capture
        }
    }

    private static String attribute(HttpPlainExecutionContext ctx, String name) {
        Object v = ctx.getAttribute(name);
        return v == null ? null : String.valueOf(v);
    }

    /**
     * A copy of the plan's decoded claims, with dates as epoch seconds (the JWT plan hands out
     * {@code java.util.Date} for exp/iat/nbf, which would otherwise read as milliseconds).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> claims(Object attribute) {
        if (!(attribute instanceof Map<?, ?> map) || map.isEmpty()) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Date d) {
                v = d.toInstant().getEpochSecond();
            } else if (v instanceof Instant i) {
                v = i.getEpochSecond();
            } else if (v instanceof Collection<?> c) {
                v = List.copyOf(c.stream().map(String::valueOf).toList());
            } else if (v != null && !(v instanceof Number) && !(v instanceof Boolean) && !(v instanceof String)
                    && !(v instanceof Map)) {
                v = String.valueOf(v);
            }
            out.put(String.valueOf(e.getKey()), v);
        }
        return out;
    }

    private static List<Header> copy(HttpHeaders headers) {
        List<Header> out = new ArrayList<>(Math.min(headers.size(), MAX_HEADERS));
        for (Map.Entry<String, String> h : headers) {
            if (out.size() == MAX_HEADERS) {
                break;
            }
            out.add(new Header(h.getKey(), bounded(h.getValue())));
        }
        return out;
    }

    static List<String> forwardedChain(List<String> values) {
        if (values == null || values.isEmpty()) {
            return List.of();
        }
        List<String> chain = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                String p = part.strip();
                if (!p.isEmpty() && chain.size() < 32) {
                    chain.add(bounded(p));
                }
            }
        }
        return chain;
    }

    private static String bounded(String s) {
        return s == null || s.length() <= MAX_HEADER_VALUE ? s : s.substring(0, MAX_HEADER_VALUE);
    }
}
