package dev.tokentrail.viewer.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentrail.viewer.SecurityConfig;
import dev.tokentrail.viewer.ServerConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.SameSite;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The viewer's security in one place: security headers on every response, the Host check, login
 * (local token or OIDC), sessions, and the guard that answers 401 to anything not logged in.
 */
public final class WebSecurity {

    public static final String SESSION_COOKIE = "tt_session";
    static final String OIDC_STATE_COOKIE = "tt_oidc_state";
    private static final String PRINCIPAL = "tokentrail.principal";
    private static final Duration OIDC_PENDING_TTL = Duration.ofMinutes(10);

    /**
     * No inline script or style, no eval, nothing framed, nothing fetched elsewhere; Trusted Types
     * make any {@code innerHTML = string} in our code (or a library's) a hard error in the browser.
     */
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; "
            + "object-src 'none'; require-trusted-types-for 'script'; trusted-types 'none'";

    /**
     * Reachable without a session: the login page, its stylesheet and icon (fixed files holding no
     * data, which the login page and the login error pages show), the login endpoints.
     */
    private static final Set<String> PUBLIC_PATHS = Set.of("/login", "/app/style.css", "/app/icon.svg", "/auth/local",
            "/auth/login", "/auth/callback");

    private final SecurityConfig config;
    private final Set<String> allowedHosts;
    private final Clock clock;
    private final Sessions sessions;
    private final String localToken;
    private final OidcClient oidc;
    /** OIDC logins in progress live in the browser, sealed: nothing per login start is kept here. */
    private final LoginStates loginStates;
    private final boolean secureCookies;
    private Consumer<Principal> loginAudit = who -> { };

    /** The paths the guard lets through without a login, for the test that keeps the list honest. */
    public static Set<String> publicPaths() {
        return PUBLIC_PATHS;
    }

    public WebSecurity(SecurityConfig config, ServerConfig server, ObjectMapper json, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.sessions = new Sessions(config.sessionTtl(), clock);
        this.localToken = config.oidcMode() ? null : config.localToken() != null ? config.localToken() : Secrets.random(32);
        this.oidc = config.oidcMode() ? new OidcClient(config.oidc(), json) : null;
        this.loginStates = config.oidcMode() ? new LoginStates(OIDC_PENDING_TTL) : null;
        this.secureCookies = config.oidcMode() && "https".equals(config.oidc().publicUrl().getScheme());
        Set<String> hosts = new HashSet<>(Set.of("127.0.0.1", "localhost", "[::1]"));
        hosts.add(server.host().toLowerCase(Locale.ROOT));
        server.allowedHosts().forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
        if (config.oidcMode() && config.oidc().publicUrl().getHost() != null) {
            hosts.add(config.oidc().publicUrl().getHost().toLowerCase(Locale.ROOT));
        }
        this.allowedHosts = Set.copyOf(hosts);
    }

    /** Called after each successful login, for the audit log. */
    public void onLogin(Consumer<Principal> audit) {
        this.loginAudit = audit;
    }

    /** The local access token (null in OIDC mode). Shown once, at start-up, to whoever started us. */
    public String localToken() {
        return localToken;
    }

    public boolean oidcMode() {
        return oidc != null;
    }

    public int activeSessions() {
        return sessions.size();
    }

    /** The logged-in user of a request that passed the guard. */
    public static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw new IllegalStateException("route reached without the guard: " + ctx.path());
        }
        return p;
    }

    /** Registers the guard (before every route) and the login routes. */
    public void install(RoutesConfig routes) {
        routes.before(this::guard);
        routes.post("/auth/local", this::localLogin);
        routes.post("/auth/logout", this::logout);
        routes.get("/auth/login", this::oidcStart);
        routes.get("/auth/callback", this::oidcCallback);
    }

    // ---- the guard --------------------------------------------------------------------------

    private void guard(Context ctx) {
        headers(ctx);
        if (!hostAllowed(ctx.header("Host"))) {
            deny(ctx, 421, "unknown Host header; start the viewer with --allowed-host for this name");
            return;
        }
        String path = ctx.path();
        if (PUBLIC_PATHS.contains(path)) {
            return;
        }
        // Jupyter-style link: ?token=... logs in and moves on to the same URL without it.
        if (localToken != null && ctx.method() == HandlerType.GET && ctx.queryParam("token") != null
                && !isApi(path)) {
            if (Secrets.same(ctx.queryParam("token"), localToken)) {
                startSession(ctx, new Principal("local", "local", Set.of()));
                String clean = path.equals("/login") ? "/" : path;
                finishLogin(ctx, clean);
            } else {
                ctx.status(401).contentType("text/html; charset=utf-8").result(Html.message("Wrong token",
                        "That access token is not the one this viewer printed at start-up.", "/login", "Log in"));
            }
            ctx.skipRemainingHandlers();
            return;
        }
        Optional<Principal> who = authenticate(ctx, path);
        if (who.isEmpty()) {
            if (isApi(path) || ctx.method() != HandlerType.GET) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"tokentrail\"");
                deny(ctx, 401, "login required");
            } else {
                ctx.redirect(oidc != null ? "/auth/login" : "/login", io.javalin.http.HttpStatus.SEE_OTHER);
                ctx.skipRemainingHandlers();
            }
            return;
        }
        Principal p = who.get();
        if (isUnsafe(ctx.method()) && !"bearer".equals(p.via()) && !sameOrigin(ctx)) {
            deny(ctx, 403, "cross-origin request refused");
            return;
        }
        ctx.attribute(PRINCIPAL, p);
    }

    private Optional<Principal> authenticate(Context ctx, String path) {
        Optional<Principal> s = sessions.find(ctx.cookie(SESSION_COOKIE));
        if (s.isPresent()) {
            return s;
        }
        String auth = ctx.header("Authorization");
        if (auth != null) {
            String bearer = auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : null;
            if (bearer != null && localToken != null && Secrets.same(bearer, localToken)) {
                return Optional.of(new Principal("local", "bearer", Set.of()));
            }
            if (bearer != null && config.metricsToken() != null && (path.equals("/metrics") || path.equals("/health"))
                    && Secrets.same(bearer, config.metricsToken())) {
                return Optional.of(new Principal("metrics", "metrics", Set.of()));
            }
        }
        return Optional.empty();
    }

    static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        ctx.header("Cross-Origin-Resource-Policy", "same-origin");
        ctx.header("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
        // Captured trails must not linger in shared caches or the back/forward cache.
        ctx.header("Cache-Control", "no-store");
    }

    private boolean hostAllowed(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String h = hostHeader.strip().toLowerCase(Locale.ROOT);
        int colon = h.startsWith("[") ? h.indexOf("]:") + 1 : h.lastIndexOf(':');
        if (colon > 0) {
            h = h.substring(0, colon);
        }
        return allowedHosts.contains(h);
    }

    /** A browser sends Origin on every POST; a form or fetch from another site is refused. */
    private static boolean sameOrigin(Context ctx) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null) {
            return site.equals("same-origin") || site.equals("none");
        }
        String origin = ctx.header("Origin");
        if (origin == null) {
            return false;
        }
        try {
            URI o = URI.create(origin);
            String host = ctx.header("Host");
            return host != null && (o.getHost() + (o.getPort() > 0 ? ":" + o.getPort() : "")).equalsIgnoreCase(host);
        } catch (IllegalArgumentException bad) {
            return false;
        }
    }

    private static boolean isApi(String path) {
        return path.startsWith("/api/") || path.equals("/metrics") || path.equals("/health");
    }

    private static boolean isUnsafe(HandlerType m) {
        return m != HandlerType.GET && m != HandlerType.HEAD && m != HandlerType.OPTIONS;
    }

    private static void deny(Context ctx, int status, String message) {
        ctx.status(status).contentType("application/json").result("{\"error\":\"" + message + "\"}");
        ctx.skipRemainingHandlers();
    }

    // ---- local mode ------------------------------------------------------------------------

    private void localLogin(Context ctx) {
        if (localToken == null) {
            ctx.status(404);
            return;
        }
        if (!sameOrigin(ctx)) {
            deny(ctx, 403, "cross-origin login refused");
            return;
        }
        if (Secrets.same(ctx.formParam("token"), localToken)) {
            startSession(ctx, new Principal("local", "local", Set.of()));
            ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
        } else {
            ctx.redirect("/login?failed", io.javalin.http.HttpStatus.SEE_OTHER);
        }
    }

    private void logout(Context ctx) {
        sessions.remove(ctx.cookie(SESSION_COOKIE));
        ctx.cookie(cookie(SESSION_COOKIE, "", 0, SameSite.STRICT, "/"));
        ctx.json(Map.of("loggedOut", true));
    }

    private void startSession(Context ctx, Principal p) {
        String id = sessions.create(p);
        ctx.cookie(cookie(SESSION_COOKIE, id, (int) sessions.ttl().toSeconds(), SameSite.STRICT, "/"));
        loginAudit.accept(p);
    }

    /**
     * After a login: a plain redirect when the navigation came from us or the address bar; from
     * another site (an IdP, a chat link) a meta refresh, since the browser would withhold the
     * SameSite=Strict cookie from a redirect that is still part of a cross-site navigation.
     */
    private static void finishLogin(Context ctx, String target) {
        String site = ctx.header("Sec-Fetch-Site");
        if (site == null || site.equals("none") || site.equals("same-origin")) {
            ctx.redirect(target, io.javalin.http.HttpStatus.SEE_OTHER);
        } else {
            ctx.status(200).contentType("text/html; charset=utf-8").result(Html.continueTo(target));
        }
    }

    private Cookie cookie(String name, String value, int maxAge, SameSite sameSite, String path) {
        return new Cookie(name, value, path, maxAge, secureCookies, true, null, sameSite);
    }

    // ---- OIDC mode -------------------------------------------------------------------------

    private void oidcStart(Context ctx) {
        if (oidc == null) {
            ctx.redirect("/login", io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        String state = Secrets.random(24);
        String nonce = Secrets.random(24);
        Pkce pkce = Pkce.create();
        URI target;
        try {
            target = oidc.authorizationRequest(state, nonce, pkce);
        } catch (OidcClient.LoginRefused e) {
            ctx.status(502).contentType("text/html; charset=utf-8")
                    .result(Html.message("Login unavailable", e.getMessage(), "/auth/login", "Try again"));
            return;
        }
        String sealed = loginStates.seal(new LoginStates.Pending(state, nonce, pkce.verifier()), clock.instant());
        // Lax, not Strict: the IdP sends the browser back by a cross-site top-level navigation.
        ctx.cookie(cookie(OIDC_STATE_COOKIE, sealed, (int) OIDC_PENDING_TTL.toSeconds(), SameSite.LAX, "/auth"));
        ctx.redirect(target.toString(), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void oidcCallback(Context ctx) {
        if (oidc == null) {
            ctx.status(404);
            return;
        }
        String state = ctx.queryParam("state");
        Optional<LoginStates.Pending> bound = loginStates.open(ctx.cookie(OIDC_STATE_COOKIE), clock.instant());
        ctx.cookie(cookie(OIDC_STATE_COOKIE, "", 0, SameSite.LAX, "/auth"));
        // The state in the URL must be the one sealed into this browser's cookie: a code sent back
        // to another browser (login CSRF, a leaked callback URL) finds no matching cookie there.
        if (bound.isEmpty() || !Secrets.same(state, bound.get().state())) {
            refuse(ctx, 400, "This login link is unknown, expired or was started in another browser.");
            return;
        }
        if (ctx.queryParam("error") != null) {
            String err = ctx.queryParam("error");
            refuse(ctx, 401, "The identity provider ended the login: " + (err.matches("[a-z_]{1,64}") ? err : "error"));
            return;
        }
        String code = ctx.queryParam("code");
        if (code == null || code.isBlank()) {
            refuse(ctx, 400, "The identity provider sent no authorization code.");
            return;
        }
        OidcClient.Login login;
        try {
            login = oidc.redeem(code, bound.get().verifier(), bound.get().nonce(), clock.instant());
        } catch (OidcClient.LoginRefused e) {
            refuse(ctx, 401, e.getMessage());
            return;
        }
        String role = config.oidc().role();
        if (!login.roles().contains(role)) {
            refuse(ctx, 403, "Your account (" + login.username() + ") does not hold the role '" + role
                    + "' this viewer requires.");
            return;
        }
        startSession(ctx, new Principal(login.username(), "oidc", login.roles()));
        ctx.status(200).contentType("text/html; charset=utf-8").result(Html.continueTo("/"));
    }

    private static void refuse(Context ctx, int status, String message) {
        ctx.status(status).contentType("text/html; charset=utf-8")
                .result(Html.message("Login refused", message, "/auth/login", "Try again"));
    }

    /** What to print at start-up so the user can log in. */
    public String loginHint(String baseUrl) {
        if (oidc != null) {
            return "Log in at " + baseUrl + "/ (OIDC, issuer " + config.oidc().issuer() + ", role "
                    + config.oidc().role() + ")";
        }
        return "Open this URL to log in (the token is a password to every captured trail, keep it private):\n    "
                + baseUrl + "/?token=" + URLEncoder.encode(localToken, StandardCharsets.UTF_8);
    }
}
