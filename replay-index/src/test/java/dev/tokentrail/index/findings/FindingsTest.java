package dev.tokentrail.index.findings;

import static dev.tokentrail.index.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Finding;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import dev.tokentrail.index.query.PageRequest;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.query.SearchQuery;
import dev.tokentrail.index.query.Timeline;
import dev.tokentrail.index.store.ShardConfig;
import dev.tokentrail.index.store.ShardWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each rule fires on its misuse and stays quiet on the normal behaviour that resembles it. */
class FindingsTest {

    static final String ISS = "http://127.0.0.1:8180/realms/shop";

    @TempDir
    Path root;
    ShardWriter idp;
    ShardWriter gw;
    ReplayReader reader;
    final FindingsEngine engine = new FindingsEngine(FindingsConfig.defaults(), "test");
    int seq;

    @BeforeEach
    void open() {
        idp = ShardWriter.open(ShardConfig.of(root, "keycloak", "kc"));
        gw = ShardWriter.open(ShardConfig.of(root, "gateway", "gw"));
        reader = ReplayReader.open(root);
    }

    @AfterEach
    void close() {
        reader.close();
        idp.close();
        gw.close();
    }

    // --- building blocks -------------------------------------------------------------------

    TokenEvent ev(int sec, TokenEventType type, String name, String user, String sid, String access, String refresh,
                  String newRefresh) {
        return ev(sec, type, name, user, sid, access, refresh, newRefresh, "10.0.0.1");
    }

    TokenEvent ev(int sec, TokenEventType type, String name, String user, String sid, String access, String refresh,
                  String newRefresh, String ip) {
        TokenEvent e = new TokenEvent("e" + (++seq), T0.plusSeconds(sec), type, name, "shop", "shop-web", user, sid,
                ip, access, refresh, newRefresh, type == TokenEventType.ERROR ? "invalid_grant" : null, Map.of(),
                null, "kc");
        idp.offer(e);
        return e;
    }

    static TokenIdentity jwt(String jti, String sid, String sub, int iatSec, int lifetimeSec) {
        return new TokenIdentity(TokenIdentity.Kind.JWT, "fp-" + jti, "Bearer", "RS256", false, jti, sid, sub,
                "shop-web", ISS, List.of("account"), T0.plusSeconds(iatSec), T0.plusSeconds(iatSec + lifetimeSec),
                "Bearer", "openid");
    }

    Exchange call(double sec, TokenIdentity t, int status, String peer) {
        return call(sec, t, status, peer, "Mozilla/5.0 shop-web");
    }

    Exchange call(double sec, TokenIdentity t, int status, String peer, String agent) {
        Exchange x = Exchange.builder("x" + (++seq), T0.plusMillis((long) (sec * 1000))).method("GET")
                .path("/orders").status(status).peer(peer).userAgent(agent)
                .tokens(t == null ? List.of() : List.of(t)).node("gw").build();
        gw.offer(x);
        return x;
    }

    List<Finding> evaluate() {
        assertThat(idp.commitNow(Duration.ofSeconds(10))).isTrue();
        assertThat(gw.commitNow(Duration.ofSeconds(10))).isTrue();
        reader.refresh();
        return engine.evaluate(reader, T0.minusSeconds(3600), T0.plus(Duration.ofDays(2)));
    }

    static List<String> rules(List<Finding> fs) {
        return fs.stream().map(Finding::rule).toList();
    }

    /** A normal session: login, use, refresh with rotation, use, logout; then nothing. */
    TokenIdentity normalSession(String n, int start) {
        String sid = "S" + n;
        ev(start, TokenEventType.ISSUED, "LOGIN", "u" + n, sid, "A" + n + "1", "R" + n + "1", null);
        TokenIdentity a1 = jwt("A" + n + "1", sid, "u" + n, start, 300);
        call(start + 1, a1, 200, "198.51.100.1");
        call(start + 299, a1, 200, "198.51.100.1"); // right up to exp
        ev(start + 290, TokenEventType.REFRESHED, "REFRESH_TOKEN", "u" + n, sid, "A" + n + "2", "R" + n + "1",
                "R" + n + "2");
        TokenIdentity a2 = jwt("A" + n + "2", sid, "u" + n, start + 290, 300);
        call(start + 295, a2, 200, "198.51.100.1");
        call(start + 400, a2, 200, "198.51.100.1");
        ev(start + 500, TokenEventType.LOGGED_OUT, "LOGOUT", "u" + n, sid, null, null, null);
        return a2;
    }

    // --- rules -------------------------------------------------------------------------------

    @Test
    void normalSessionsFireNothing() {
        normalSession("1", 0);
        normalSession("2", 10); // the same user pattern in parallel
        assertThat(evaluate()).isEmpty();
    }

    @Test
    void useAfterLogoutFiresOnAnAcceptedRequestAfterTheSessionEnded() {
        TokenIdentity a2 = normalSession("1", 0);
        Exchange replay = call(560, a2, 200, "203.0.113.66");
        call(570, a2, 401, "203.0.113.66"); // a gateway that refuses is not a use
        List<Finding> fs = evaluate();
        assertThat(rules(fs)).containsExactly("USE_AFTER_LOGOUT");
        Finding f = fs.get(0);
        assertThat(f.recordIds()).endsWith(replay.id());
        assertThat(f.sessionId()).isEqualTo("S1");
        assertThat(f.tokenId()).isEqualTo("A12");
        assertThat(f.summary()).contains("203.0.113.66");
        assertThat(f.windowFrom()).isBefore(replay.time());
        assertThat(f.windowTo()).isAfter(replay.time());
    }

    @Test
    void adminLogoutOfAUserEndsTokensIssuedBeforeItButNotAfter() {
        ev(0, TokenEventType.ISSUED, "LOGIN", "u1", "S1", "A1", "R1", null);
        ev(100, TokenEventType.SESSION_ENDED_BY_ADMIN, "ACTION", "u1", null, null, null, null);
        ev(110, TokenEventType.ISSUED, "LOGIN", "u1", "S2", "B1", "BR1", null);
        call(120, jwt("B1", "S2", "u1", 110, 300), 200, "198.51.100.1");
        call(130, jwt("A1", "S1", "u1", 0, 300), 200, "198.51.100.1");
        assertThat(rules(evaluate())).containsExactly("USE_AFTER_LOGOUT");
    }

    @Test
    void useAfterRevokeCoversTheTokenAndTokensFromARevokedRefreshToken() {
        ev(0, TokenEventType.ISSUED, "LOGIN", "u1", "S1", "A1", "R1", null);
        ev(10, TokenEventType.REFRESHED, "REFRESH_TOKEN", "u1", "S1", "A2", "R1", "R2");
        call(20, jwt("A2", "S1", "u1", 10, 300), 200, "198.51.100.1"); // before revocation: fine
        ev(30, TokenEventType.REVOKED, "REVOKE_GRANT", null, null, null, "R1", null);
        call(40, jwt("A2", "S1", "u1", 10, 300), 200, "198.51.100.1");
        ev(50, TokenEventType.ISSUED, "CLIENT_LOGIN", null, null, "C1", null, null);
        ev(60, TokenEventType.REVOKED, "REVOKE_GRANT", null, null, "C1", null, null);
        call(70, jwt("C1", null, "svc", 50, 300), 200, "198.51.100.9");
        List<Finding> fs = evaluate();
        assertThat(rules(fs)).containsExactly("USE_AFTER_REVOKE", "USE_AFTER_REVOKE");
        assertThat(fs).extracting(Finding::tokenId).containsExactly("A2", "C1");
    }

    @Test
    void useAfterExpiryFiresPastExpButNotAtExp() {
        ev(0, TokenEventType.ISSUED, "LOGIN", "u1", "S1", "A1", "R1", null);
        TokenIdentity a1 = jwt("A1", "S1", "u1", 0, 60);
        call(60, a1, 200, "198.51.100.1"); // exactly at exp
        call(61, a1, 401, "198.51.100.1"); // refused: the gateway did its job
        call(75, a1, 200, "198.51.100.1"); // accepted 15 s late
        List<Finding> fs = evaluate();
        assertThat(rules(fs)).containsExactly("USE_AFTER_EXPIRY");
        assertThat(fs.get(0).summary()).contains("15 s later");
    }

    @Test
    void unknownTokenFiresOnlyWhileTheIdpWasRecording() {
        // The IdP shard starts recording at 100 s.
        ev(100, TokenEventType.ISSUED, "LOGIN", "u1", "S1", "A1", "R1", null);
        call(101, jwt("A1", "S1", "u1", 100, 300), 200, "198.51.100.1"); // teaches the issuer
        call(120, jwt("OLD", "S0", "u0", 10, 3600), 200, "198.51.100.2"); // issued before recording: silent
        ev(200, TokenEventType.INTROSPECTED, "INTROSPECT_TOKEN", "u1", "S1", "A1", null, null);
        call(210, jwt("FORGED", "S1", "u1", 150, 300), 200, "198.51.100.3");
        TokenIdentity foreign = new TokenIdentity(TokenIdentity.Kind.JWT, "fp-x", "Bearer", "RS256", false, "OTHER",
                null, "x", "x", "https://other-idp.example", List.of(), T0.plusSeconds(150), T0.plusSeconds(900),
                "Bearer", null);
        call(215, foreign, 200, "198.51.100.4"); // an issuer we do not watch
        List<Finding> fs = evaluate();
        assertThat(rules(fs)).containsExactly("UNKNOWN_TOKEN");
        assertThat(fs.get(0).tokenId()).isEqualTo("FORGED");
    }

    @Test
    void unknownTokenIsSilentForATokenIssuedWhileTheIdpWasNotRecording() {
        ev(100, TokenEventType.ISSUED, "LOGIN", "u1", "S1", "A1", "R1", null);
        call(101, jwt("A1", "S1", "u1", 100, 7200), 200, "198.51.100.1"); // teaches the issuer
        // Nothing from the IdP for half an hour (listener down, shard unwritable, events lost),
        // then it records again.
        ev(1900, TokenEventType.ISSUED, "LOGIN", "u2", "S2", "A2", "R2", null);
        ev(2000, TokenEventType.INTROSPECTED, "INTROSPECT_TOKEN", "u2", "S2", "A2", null, null);
        call(2010, jwt("GAP", "S3", "u3", 1000, 7200), 200, "198.51.100.2"); // issued in the gap: silent
        call(2011, jwt("EDGE", "S3", "u3", 1901, 7200), 200, "198.51.100.2"); // within the margin: silent
        call(2020, jwt("FORGED", "S4", "u4", 1950, 7200), 200, "198.51.100.3"); // recorded stretch: fires
        List<Finding> fs = evaluate();
        assertThat(rules(fs)).containsExactly("UNKNOWN_TOKEN");
        assertThat(fs.get(0).tokenId()).isEqualTo("FORGED");
    }

    @Test
    void issuedIdsPushedOutByTheMemoryBoundAreNotTakenAsNeverIssued() {
        Evaluator.Expiring<Instant> issued = new Evaluator.Expiring<>();
        for (int i = 0; i <= Evaluator.MAX_KEYS; i++) {
            issued.put("A" + i, T0, T0.plusSeconds(i));
        }
        assertThat(issued.get("A0")).isNull();
        // The forgotten issuance's time bounds what UNKNOWN_TOKEN may still judge.
        assertThat(issued.forgottenUntil()).isEqualTo(T0);
        assertThat(issued.get("A1")).isEqualTo(T0);
    }

    @Test
    void tokenSpreadFiresOnManyAddressesButNotOnAProxyOrANetworkSwitch() {
        ev(0, TokenEventType.ISSUED, "LOGIN", "u1", "S1", "A1", "R1", null);
        TokenIdentity a1 = jwt("A1", "S1", "u1", 0, 3600);
        call(1, a1, 200, "198.51.100.1");
        call(2, a1, 200, "198.51.100.2"); // wifi -> mobile
        call(3, a1, 200, "198.51.100.1");
        // many users behind one proxy: each with their own token
        for (int i = 0; i < 20; i++) {
            ev(4, TokenEventType.ISSUED, "LOGIN", "p" + i, "SP" + i, "P" + i, "PR" + i, null);
            call(5, jwt("P" + i, "SP" + i, "p" + i, 4, 3600), 200, "192.0.2.254");
        }
        assertThat(evaluate()).isEmpty();
        for (int i = 3; i <= 5; i++) {
            call(100 + i, a1, 200, "198.51.100." + i);
        }
        assertThat(rules(evaluate())).containsExactly("TOKEN_SPREAD");
    }

    @Test
    void forwardedForIsOnlyBelievedFromTrustedProxies() {
        FindingsConfig trusting = FindingsConfig.defaults().withTrustedProxies(java.util.Set.of("10.9.9.9"));
        Evaluator ev = new FindingsEngine(trusting, "t").evaluator();
        Exchange viaProxy = Exchange.builder("a", T0).peer("10.9.9.9").forwardedFor(List.of("203.0.113.7", "10.9.9.9"))
                .build();
        Exchange spoofed = Exchange.builder("b", T0).peer("198.51.100.1").forwardedFor(List.of("203.0.113.7")).build();
        assertThat(ev.effectivePeer(viaProxy)).isEqualTo("203.0.113.7");
        assertThat(ev.effectivePeer(spoofed)).isEqualTo("198.51.100.1");
    }

    @Test
    void refreshReuseFiresOnARotatedRefreshTokenUsedAgainButNotOnARetry() {
        ev(0, TokenEventType.ISSUED, "LOGIN", "u1", "S1", "A1", "R1", null);
        ev(100, TokenEventType.REFRESHED, "REFRESH_TOKEN", "u1", "S1", "A2", "R1", "R2");
        ev(102, TokenEventType.REFRESHED, "REFRESH_TOKEN", "u1", "S1", "A3", "R1", "R3"); // client retry, same ip
        assertThat(evaluate()).isEmpty();
        ev(500, TokenEventType.ERROR, "REFRESH_TOKEN_ERROR", null, "S1", null, "R1", null, "203.0.113.66");
        ev(600, TokenEventType.REFRESHED, "REFRESH_TOKEN", "u1", "S1", "A4", "R2", "R4");
        ev(700, TokenEventType.REFRESHED, "REFRESH_TOKEN", "u1", "S1", "A5", "R2", "R5", "203.0.113.66");
        List<Finding> fs = evaluate();
        assertThat(rules(fs)).containsExactly("REFRESH_REUSE", "REFRESH_REUSE");
    }

    @Test
    void burstFiresAboveTheRateButNotAtIt() {
        ev(0, TokenEventType.ISSUED, "CLIENT_LOGIN", null, null, "C1", null, null);
        TokenIdentity c1 = jwt("C1", null, "svc", 0, 3600);
        for (int i = 0; i < 300; i++) {
            call(1 + i * 0.2, c1, 200, "198.51.100.9"); // 300 in 60 s: at the threshold
        }
        assertThat(evaluate()).isEmpty();
        for (int i = 0; i < 400; i++) {
            call(100 + i * 0.1, c1, 200, "198.51.100.9");
        }
        assertThat(rules(evaluate())).containsExactly("BURST");
    }

    @Test
    void authFailureStormFromOnePeerAndAgainstOneUser() {
        for (int i = 0; i < 30; i++) {
            call(i, null, 401, "203.0.113.50"); // at the threshold: quiet
        }
        for (int i = 0; i < 10; i++) {
            ev(i, TokenEventType.ERROR, "LOGIN_ERROR", "victim", null, null, null, null, "198.51.100." + i);
        }
        assertThat(evaluate()).isEmpty();
        call(31, null, 403, "203.0.113.50");
        ev(20, TokenEventType.ERROR, "LOGIN_ERROR", "victim", null, null, null, null, "198.51.100.99");
        assertThat(rules(evaluate())).containsExactlyInAnyOrder("AUTH_FAILURE_STORM", "AUTH_FAILURE_STORM");
    }

    @Test
    void clientMismatchWhenBothClientsAreKnown() {
        ev(0, TokenEventType.ISSUED, "LOGIN", "u1", "S1", "A1", "R1", null);
        TokenIdentity a1 = jwt("A1", "S1", "u1", 0, 300);
        gw.offer(Exchange.builder("ok", T0.plusSeconds(1)).status(200).application("app-1").applicationClientId("shop-web")
                .tokens(List.of(a1)).build());
        gw.offer(Exchange.builder("unknown-client", T0.plusSeconds(2)).status(200).application("app-2")
                .tokens(List.of(a1)).build());
        assertThat(evaluate()).isEmpty();
        gw.offer(Exchange.builder("bad", T0.plusSeconds(3)).status(200).application("app-3")
                .applicationClientId("billing-job").tokens(List.of(a1)).build());
        assertThat(rules(evaluate())).containsExactly("CLIENT_MISMATCH");
    }

    @Test
    void unsignedTokenIsCriticalWhenAcceptedAndHighWhenRefused() {
        TokenIdentity none = new TokenIdentity(TokenIdentity.Kind.JWT, "fp-n", "Bearer", "none", true, "forged-1",
                null, "mallory", null, null, List.of(), null, null, null, null);
        TokenIdentity none2 = new TokenIdentity(TokenIdentity.Kind.JWT, "fp-n2", "Bearer", "none", true, "forged-2",
                null, "mallory", null, null, List.of(), null, null, null, null);
        call(1, none, 200, "203.0.113.66");
        call(2, none2, 401, "203.0.113.66");
        List<Finding> fs = evaluate();
        assertThat(rules(fs)).containsExactly("UNSIGNED_TOKEN", "UNSIGNED_TOKEN");
        assertThat(fs).extracting(Finding::severity).containsExactly(Finding.Severity.CRITICAL, Finding.Severity.HIGH);
    }

    /**
     * A forger copies alice's token id, session and user into tokens of their own and tries them
     * from four addresses. The findings name the forgery by its fingerprint, never alice's ids:
     * nothing vouches for what a forged token claims.
     */
    @Test
    void forgedTokensClaimingSomeoneElsesIdsAreJudgedByTheirBytesNotTheirClaims() {
        TokenIdentity a1 = normalSession("1", 0); // ends with a logout at 500 s
        TokenIdentity none = new TokenIdentity(TokenIdentity.Kind.JWT, "fp-none", "Bearer", "none", true,
                a1.jti(), a1.sid(), a1.sub(), "shop-web", ISS, List.of(), T0, T0.plusSeconds(3600), null, null);
        TokenIdentity badSignature = new TokenIdentity(TokenIdentity.Kind.JWT, "fp-bad-signature", "Bearer", "RS256",
                false, a1.jti(), a1.sid(), a1.sub(), "shop-web", ISS, List.of(), T0, T0.plusSeconds(3600), null, null);
        for (int i = 1; i <= 4; i++) {
            call(800 + i, none, 401, "203.0.113." + i);
            call(810 + i, badSignature, 401, "198.51.100." + (20 + i));
        }
        List<Finding> fs = evaluate();
        assertThat(rules(fs)).containsExactlyInAnyOrder("UNSIGNED_TOKEN", "TOKEN_SPREAD", "TOKEN_SPREAD");
        assertThat(fs).allSatisfy(f -> {
            assertThat(f.tokenId()).isNull();
            assertThat(f.sessionId()).isNull();
            assertThat(f.userId()).isNull();
            assertThat(f.fingerprint()).isIn("fp-none", "fp-bad-signature");
        });
        assertThat(fs.stream().filter(f -> f.rule().equals("UNSIGNED_TOKEN")).findFirst().orElseThrow().summary())
                .contains("claims to be token " + a1.jti());
    }

    /** A gateway that skips signature checks accepts a copy of alice's claims with other bytes. */
    @Test
    void aTokenIdAcceptedWithOtherBytesIsAnUnknownToken() {
        TokenIdentity a2 = normalSession("1", 0);
        TokenIdentity copy = new TokenIdentity(TokenIdentity.Kind.JWT, "fp-copy", "Bearer", "RS256", false, a2.jti(),
                a2.sid(), a2.sub(), a2.clientId(), a2.iss(), a2.aud(), a2.iat(), a2.exp(), a2.typ(), a2.scope());
        call(296, copy, 200, "198.51.100.1");
        call(297, copy, 200, "198.51.100.1"); // the same copy again: one finding
        List<Finding> fs = evaluate();
        assertThat(rules(fs)).containsExactly("UNKNOWN_TOKEN");
        assertThat(fs.get(0).fingerprint()).isEqualTo("fp-copy");
        assertThat(fs.get(0).tokenId()).isEqualTo(a2.jti()); // in alice's trail: her token id has a twin
        assertThat(fs.get(0).summary()).contains("fp-" + a2.jti());
    }

    @Test
    void findingsAreStoredOnceAndAppearInTheTokensTimeline() {
        TokenIdentity a2 = normalSession("1", 0);
        call(560, a2, 200, "203.0.113.66");
        call(561, a2, 200, "203.0.113.66");
        List<Finding> first = evaluate();
        List<Finding> again = evaluate();
        assertThat(again).isEqualTo(first).hasSize(1);
        try (ShardWriter findings = ShardWriter.open(ShardConfig.of(root, "findings", "test"))) {
            first.forEach(findings::offer);
            again.forEach(findings::offer);
            findings.commitNow(Duration.ofSeconds(10));
        }
        reader.refresh();
        var stored = reader.search(new SearchQuery(null, Map.of("kind", "finding"), null, null, true), PageRequest.first());
        assertThat(stored.items()).hasSize(1);
        Timeline t = reader.timeline("A11", PageRequest.first());
        List<String> kinds = new ArrayList<>();
        for (ReplayRecord r : t.page().items()) {
            kinds.add(r instanceof Finding f ? f.rule() : r.getClass().getSimpleName());
        }
        // a finding sorts with the request that triggered it (same time, "F-" ids first)
        assertThat(kinds).endsWith("TokenEvent", "USE_AFTER_LOGOUT", "Exchange", "Exchange");
    }

    @Test
    void evaluationOfARangeStillSeesTheLogoutBeforeIt() {
        TokenIdentity a2 = normalSession("1", 0);
        call(7200, a2, 200, "203.0.113.66");
        idp.commitNow(Duration.ofSeconds(10));
        gw.commitNow(Duration.ofSeconds(10));
        reader.refresh();
        List<Finding> fs = engine.evaluate(reader, T0.plusSeconds(7000), T0.plusSeconds(8000));
        // two hours later the token is long expired too: both are true
        assertThat(rules(fs)).containsExactly("USE_AFTER_LOGOUT", "USE_AFTER_EXPIRY");
        assertThat(engine.evaluate(reader, T0.plusSeconds(8000), T0.plusSeconds(9000))).isEmpty();
    }
}
