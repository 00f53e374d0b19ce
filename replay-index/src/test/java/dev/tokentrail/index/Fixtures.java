package dev.tokentrail.index;

import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Header;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Records as the adapters make them, for tests of the store and the reader. */
public final class Fixtures {

    public static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private Fixtures() {
    }

    public static TokenEvent event(String id, Instant time, TokenEventType type, String name, String user,
                                   String session, String access, String refresh, String newRefresh) {
        return new TokenEvent(id, time, type, name, "shop", "shop-web", user, session, "10.0.0.5", access, refresh,
                newRefresh, type == TokenEventType.ERROR ? "invalid_token" : null,
                Map.of("grant_type", "password", "client_secret", "would-leak"), null, "kc-1");
    }

    public static TokenIdentity identity(String jti, String sid, String sub, String fingerprint) {
        return new TokenIdentity(TokenIdentity.Kind.JWT, fingerprint, "Bearer", "RS256", false, jti, sid, sub,
                "shop-web", "http://127.0.0.1:8180/realms/shop", List.of("account"), T0, T0.plusSeconds(300),
                "Bearer", "openid");
    }

    public static Exchange exchange(String id, Instant time, TokenIdentity token, int status, String path) {
        return Exchange.builder(id, time).transactionId(id).latency(Duration.ofMillis(12)).api("orders")
                .method("GET").scheme("http").host("api.local").path(path).query("page=2")
                .requestHeaders(List.of(new Header("Accept", "application/json")))
                .status(status)
                .responseBody(new Body("{\"order\":42,\"note\":\"blue widget\"}", 33, false, "application/json",
                        null, Body.Form.TEXT))
                .peer("127.0.0.1").forwardedFor(List.of("203.0.113.7")).userAgent("curl/8.5")
                .tokens(token == null ? List.of() : List.of(token)).node("gw-1").build();
    }
}
