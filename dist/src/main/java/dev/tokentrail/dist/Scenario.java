package dev.tokentrail.dist;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The scripted story the sandbox plays and the e2e test checks: alice logs in (password grant),
 * calls the API, refreshes, calls again and logs out; a wrong password is tried; the service
 * account gets a token by client credentials and calls the API.
 * TODO(gateway-policy): with the gateway in the stack, replay alice's first token after the logout
 * from another client address (127.0.0.2) and add a burst of automated calls.
 */
public final class Scenario {

    /** What happened, with every raw token handed out (for the assertions and the "never on disk" scan). */
    public record Result(String access1, String refresh1, String access2, String refresh2, String serviceAccess,
                         String sessionId, int apiCalls) {

        public String access1Jti() {
            return Http.claims(access1).get("jti").asText();
        }

        public String access2Jti() {
            return Http.claims(access2).get("jti").asText();
        }

        public String serviceJti() {
            return Http.claims(serviceAccess).get("jti").asText();
        }

        public List<String> rawTokens() {
            return List.of(access1, refresh1, access2, refresh2, serviceAccess);
        }
    }

    private Scenario() {
    }

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
        progress.say("  alice logged in (password grant)              access token jti " + jti(a1));
        calls += callApi(http, stack, a1, 2);

        Http.Reply refresh = expect(http.postForm(token, Http.fields("grant_type", "refresh_token", "client_id",
                DemoRealm.WEB_CLIENT, "client_secret", r.webSecret(), "refresh_token", r1)), 200, "refresh");
        String a2 = refresh.text("access_token");
        String r2 = refresh.text("refresh_token");
        progress.say("  alice refreshed                               new access token jti " + jti(a2));
        calls += callApi(http, stack, a2, 1);

        expect(http.postForm(stack.realmUrl() + "/protocol/openid-connect/logout", Http.fields("client_id",
                DemoRealm.WEB_CLIENT, "client_secret", r.webSecret(), "refresh_token", r2)), 204, "logout");
        progress.say("  alice logged out                              session " + Http.claims(a1).get("sid").asText());

        expect(http.postForm(token, Http.fields("grant_type", "password", "client_id", DemoRealm.WEB_CLIENT,
                "client_secret", r.webSecret(), "username", "alice", "password", "not-" + r.alicePassword())),
                "a wrong password", 400, 401);
        progress.say("  someone tried alice with a wrong password");

        Http.Reply service = expect(http.postForm(token, Http.fields("grant_type", "client_credentials", "client_id",
                DemoRealm.SERVICE_CLIENT, "client_secret", r.serviceSecret())), 200, "client credentials");
        String s1 = service.text("access_token");
        progress.say("  demo-service got a token (client credentials) jti " + jti(s1));
        calls += callApi(http, stack, s1, 1);

        return new Result(a1, r1, a2, r2, s1, Http.claims(a1).get("sid").asText(), calls);
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
