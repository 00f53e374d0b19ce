package dev.tokentrail.dist;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The scripted story the sandbox plays and the e2e test checks, every API call through the real
 * Gravitee gateway (JWT plan against Keycloak's JWKS): alice logs in (password grant), calls the
 * API, refreshes, calls again and logs out. Then a "stolen" copy of her first access token is
 * replayed from another client address (127.0.0.2): the plan validates JWTs offline, so the
 * gateway still lets it through after the logout — what USE_AFTER_LOGOUT is for. A wrong password
 * is tried; the service account gets a token by client credentials and fires a burst of calls.
 */
public final class Scenario {

    /** What happened, with every raw token handed out (for the assertions and the "never on disk" scan). */
    public record Result(String access1, String refresh1, String access2, String refresh2, String serviceAccess,
                         List<String> idTokens, String sessionId, int apiCalls, String replayRequestId,
                         int replayStatus) {

        public String access1Jti() {
            return Http.claims(access1).get("jti").asText();
        }

        public String access2Jti() {
            return Http.claims(access2).get("jti").asText();
        }

        public String serviceJti() {
            return Http.claims(serviceAccess).get("jti").asText();
        }

        /** Every token Keycloak handed out in the story: access, refresh, service and ID tokens. */
        public List<String> rawTokens() {
            List<String> all = new ArrayList<>(List.of(access1, refresh1, access2, refresh2, serviceAccess));
            all.addAll(idTokens);
            return all;
        }
    }

    private Scenario() {
    }

    /** The stolen token's client address: another loopback address than everything else's 127.0.0.1. */
    public static final String THIEF_ADDRESS = "127.0.0.2";
    static final int BURST = 20;

    public static Result play(Stack stack, Progress progress) throws IOException, InterruptedException {
        Http http = new Http();
        DemoRealm r = stack.realm();
        String token = stack.realmUrl() + "/protocol/openid-connect/token";
        int calls = 0;

        Http.Reply login = expect(http.postForm(token, Http.fields("grant_type", "password", "client_id",
                DemoRealm.WEB_CLIENT, "client_secret", r.webSecret(), "username", "alice", "password",
                r.alicePassword(), "scope", "openid")), 200, "alice's password login");
        String a1 = login.text("access_token");
        String r1 = login.text("refresh_token");
        List<String> idTokens = new ArrayList<>();
        idTokens.add(login.text("id_token"));
        progress.say("  alice logged in (password grant)              access token jti " + jti(a1));
        calls += callApi(http, stack, a1, 2);

        Http.Reply refresh = expect(http.postForm(token, Http.fields("grant_type", "refresh_token", "client_id",
                DemoRealm.WEB_CLIENT, "client_secret", r.webSecret(), "refresh_token", r1)), 200, "refresh");
        String a2 = refresh.text("access_token");
        String r2 = refresh.text("refresh_token");
        if (refresh.text("id_token") != null) {
            idTokens.add(refresh.text("id_token"));
        }
        progress.say("  alice refreshed                               new access token jti " + jti(a2));
        calls += callApi(http, stack, a2, 1);

        expect(http.postForm(stack.realmUrl() + "/protocol/openid-connect/logout", Http.fields("client_id",
                DemoRealm.WEB_CLIENT, "client_secret", r.webSecret(), "refresh_token", r2)), 204, "logout");
        progress.say("  alice logged out                              session " + Http.claims(a1).get("sid").asText());

        // The thief's copy of alice's first token, from another address, after the logout.
        Thread.sleep(1100); // a clear second between the LOGOUT and the replay, as in real life
        RawReply stolen;
        String thief = THIEF_ADDRESS;
        try {
            stolen = getFrom(THIEF_ADDRESS, stack.apiUrl() + "/orders/o-1002", a1);
        } catch (java.net.BindException noSuchAddress) {
            // macOS configures only 127.0.0.1 on loopback (`sudo ifconfig lo0 alias 127.0.0.2` adds it):
            // the replay still happens, from alice's own address.
            thief = "127.0.0.1";
            progress.say("  (127.0.0.2 is not configured on this machine's loopback: replaying from 127.0.0.1)");
            stolen = getFrom(thief, stack.apiUrl() + "/orders/o-1002", a1);
        }
        if (stolen.status() != 200) {
            throw new IllegalStateException("the replay of alice's token after logout: expected HTTP 200 (the JWT plan"
                    + " validates offline), got " + stolen.status());
        }
        calls++;
        progress.say("  a stolen copy of alice's first token was replayed from " + thief
                + " after the logout: HTTP 200");

        expect(http.postForm(token, Http.fields("grant_type", "password", "client_id", DemoRealm.WEB_CLIENT,
                "client_secret", r.webSecret(), "username", "alice", "password", "not-" + r.alicePassword())),
                "a wrong password", 400, 401);
        progress.say("  someone tried alice with a wrong password");

        Http.Reply service = expect(http.postForm(token, Http.fields("grant_type", "client_credentials", "client_id",
                DemoRealm.SERVICE_CLIENT, "client_secret", r.serviceSecret())), 200, "client credentials");
        String s1 = service.text("access_token");
        progress.say("  demo-service got a token (client credentials) jti " + jti(s1));
        calls += callApi(http, stack, s1, BURST);
        progress.say("  demo-service fired a burst of " + BURST + " calls");

        return new Result(a1, r1, a2, r2, s1, List.copyOf(idTokens), Http.claims(a1).get("sid").asText(), calls, stolen.requestId(),
                stolen.status());
    }

    private static int callApi(Http http, Stack stack, String accessToken, int n) throws IOException,
            InterruptedException {
        List<String> paths = new ArrayList<>(List.of("/orders", "/orders/o-1001", "/orders/o-1002"));
        for (int i = 0; i < n; i++) {
            expect(http.get(stack.apiUrl() + paths.get(i % paths.size()), "Authorization", "Bearer " + accessToken),
                    200, "API call");
        }
        return n;
    }

    record RawReply(int status, String requestId) {
    }

    /**
     * GET with a bearer token over a plain socket bound to {@code localAddress} (java.net.http cannot
     * choose its local address): the gateway sees that address as the socket peer.
     */
    static RawReply getFrom(String localAddress, String url, String bearer) throws IOException {
        java.net.URI u = java.net.URI.create(url);
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.bind(new java.net.InetSocketAddress(localAddress, 0));
            socket.connect(new java.net.InetSocketAddress(u.getHost(), u.getPort()), 5000);
            socket.setSoTimeout(10_000);
            String request = "GET " + u.getRawPath() + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort()
                    + "\r\nAuthorization: Bearer " + bearer + "\r\nUser-Agent: curl/8.5.0\r\nAccept: */*"
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String head = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            String requestId = null;
            for (String line : lines) {
                if (line.isEmpty()) {
                    break;
                }
                if (line.regionMatches(true, 0, "X-Gravitee-Request-Id:", 0, 22)) {
                    requestId = line.substring(22).strip();
                }
            }
            return new RawReply(status, requestId);
        }
    }

    private static String jti(String jwt) {
        return Http.claims(jwt).get("jti").asText();
    }

    private static Http.Reply expect(Http.Reply reply, int status, String what) {
        return expect(reply, what, status);
    }

    /** Keycloak answers a refused password grant with 400 or 401 depending on the version: accept either. */
    private static Http.Reply expect(Http.Reply reply, String what, int... statuses) {
        for (int s : statuses) {
            if (reply.status() == s) {
                return reply;
            }
        }
        // The body is Keycloak's (or the backend's) error JSON; it holds no secret of ours.
        throw new IllegalStateException(what + ": expected HTTP " + java.util.Arrays.toString(statuses) + ", got "
                + reply.status() + " " + reply.body());
    }
}
