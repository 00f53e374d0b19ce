package dev.tokentrail.index.findings;

import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Normal traffic that resembles misuse: refresh rotation, client retries (of requests and of
 * refreshes), users with two parallel sessions, many users behind a few corporate proxies,
 * tokens used right up to exp, a network switch, the odd 401, service accounts with client
 * credentials. A precise rule set finds nothing here.
 */
final class BenignWorkload {

    static final String ISS = "http://127.0.0.1:8180/realms/shop";
    static final Instant START = Instant.parse("2026-11-02T08:00:00Z");

    private BenignWorkload() {
    }

    /** Every record of {@code sessions} sessions, sorted by time. */
    static List<ReplayRecord> generate(int sessions, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<ReplayRecord> out = new ArrayList<>();
        // The IdP starts recording before anyone logs in.
        out.add(new TokenEvent("boot", START.minusSeconds(60), TokenEventType.OTHER, "SERVER_START", "shop", null,
                null, null, null, null, null, null, null, Map.of(), null, "kc"));
        for (int s = 0; s < sessions; s++) {
            session(s, rnd, out);
        }
        for (int c = 0; c < Math.max(1, sessions / 100); c++) {
            serviceAccount(c, rnd, out);
        }
        out.sort(Comparator.comparing(ReplayRecord::time).thenComparing(ReplayRecord::id));
        return out;
    }

    private static void session(int s, SplittableRandom rnd, List<ReplayRecord> out) {
        String user = "user-" + (s / 2); // pairs of sessions share a user: parallel sessions
        String sid = "S" + s;
        boolean proxied = rnd.nextInt(3) == 0;
        String peer = proxied ? "192.0.2." + (s % 4) : "198.51." + (s / 250 % 250) + "." + (s % 250);
        String agent = "Mozilla/5.0 app/" + (s % 7);
        Instant t = START.plusSeconds(rnd.nextInt(8 * 3600));
        int lifetime = 300;
        String access = "onrtro:" + s + "-0";
        String refresh = "R" + s + "-0";
        out.add(event("L" + s, t, TokenEventType.ISSUED, "LOGIN", user, sid, access, refresh, null, peer));
        int refreshes = 1 + rnd.nextInt(4);
        for (int r = 0; r <= refreshes; r++) {
            Instant iat = t;
            TokenIdentity id = new TokenIdentity(TokenIdentity.Kind.JWT, "fp-" + access, "Bearer", "RS256", false,
                    access, sid, user, "shop-web", ISS, List.of("account"), iat, iat.plusSeconds(lifetime), "Bearer",
                    "openid");
            int calls = 3 + rnd.nextInt(25);
            for (int c = 0; c < calls; c++) {
                Instant at = iat.plusMillis(rnd.nextLong(lifetime * 1000L));
                String p = peer;
                if (!proxied && r == refreshes && c == calls - 1 && rnd.nextInt(10) == 0) {
                    p = "100.64.0." + (s % 250); // switched from wifi to mobile
                }
                int status = rnd.nextInt(100) < 2 ? 401 : 200;
                out.add(call("X" + s + "-" + r + "-" + c, at, id, status, p, agent));
                if (rnd.nextInt(20) == 0) { // a client retrying the same request
                    out.add(call("X" + s + "-" + r + "-" + c + "-retry", at.plusMillis(300), id, 200, p, agent));
                }
            }
            // used right up to its exp
            out.add(call("X" + s + "-" + r + "-exp", iat.plusSeconds(lifetime), id, 200, peer, agent));
            if (r == refreshes) {
                out.add(event("O" + s, iat.plusSeconds(lifetime + 1), TokenEventType.LOGGED_OUT, "LOGOUT", user, sid,
                        null, null, null, peer));
                break;
            }
            Instant next = iat.plusSeconds(lifetime - 10);
            String nextAccess = "onrtrt:" + s + "-" + (r + 1);
            String nextRefresh = "R" + s + "-" + (r + 1);
            out.add(event("F" + s + "-" + r, next, TokenEventType.REFRESHED, "REFRESH_TOKEN", user, sid, nextAccess,
                    refresh, nextRefresh, peer));
            if (rnd.nextInt(15) == 0) { // the refresh retried after a timeout, same address
                out.add(event("F" + s + "-" + r + "-retry", next.plusSeconds(2), TokenEventType.REFRESHED,
                        "REFRESH_TOKEN", user, sid, nextAccess + "b", refresh, nextRefresh + "b", peer));
            }
            access = nextAccess;
            refresh = nextRefresh;
            t = next;
        }
    }

    private static void serviceAccount(int c, SplittableRandom rnd, List<ReplayRecord> out) {
        Instant t = START.plusSeconds(rnd.nextInt(3600));
        for (int k = 0; k < 8; k++) {
            String jti = "trrtcc:" + c + "-" + k;
            out.add(event("C" + c + "-" + k, t, TokenEventType.ISSUED, "CLIENT_LOGIN", "svc-" + c, null, jti, null,
                    null, "10.0.0." + c % 250));
            TokenIdentity id = new TokenIdentity(TokenIdentity.Kind.JWT, "fp-" + jti, "Bearer", "RS256", false, jti,
                    null, "svc-" + c, "billing-" + c, ISS, List.of(), t, t.plusSeconds(300), "Bearer", "profile");
            for (int i = 0; i < 250; i++) { // ~1 request per second, under the burst threshold
                out.add(call("Y" + c + "-" + k + "-" + i, t.plusMillis(i * 1_100L), id, 200, "10.0.0." + c % 250,
                        "billing-job/1.0"));
            }
            t = t.plusSeconds(290);
        }
    }

    private static TokenEvent event(String id, Instant t, TokenEventType type, String name, String user, String sid,
                                    String access, String refresh, String newRefresh, String ip) {
        return new TokenEvent(id, t, type, name, "shop", "shop-web", user, sid, ip, access, refresh, newRefresh,
                null, Map.of(), null, "kc");
    }

    private static Exchange call(String id, Instant t, TokenIdentity token, int status, String peer, String agent) {
        return Exchange.builder(id, t).method("GET").path("/orders").status(status).peer(peer).userAgent(agent)
                .tokens(List.of(token)).node("gw").build();
    }
}
