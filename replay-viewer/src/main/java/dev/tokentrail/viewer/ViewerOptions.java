package dev.tokentrail.viewer;

import dev.tokentrail.index.findings.FindingsConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line and environment, parsed into one config per concern. Secrets come from the
 * environment only: a command line is visible to every user of the machine through {@code ps}.
 */
public record ViewerOptions(ServerConfig server, SecurityConfig security, LiveConfig live, FindingsOptions findings) {

    public ViewerOptions {
        findings = findings == null ? FindingsOptions.defaults() : findings;
    }

    public ViewerOptions(ServerConfig server, SecurityConfig security, LiveConfig live) {
        this(server, security, live, FindingsOptions.defaults());
    }

    /** Environment variable holding a fixed local access token (else a random one is made). */
    public static final String ENV_TOKEN = "TOKENTRAIL_VIEWER_TOKEN";
    public static final String ENV_CLIENT_SECRET = "TOKENTRAIL_OIDC_CLIENT_SECRET";
    public static final String ENV_METRICS_TOKEN = "TOKENTRAIL_METRICS_TOKEN";

    static final String USAGE = """
            Usage: java -jar replay-viewer.jar --data <root> [options]

              --data <dir>            data root holding the shards (required, must exist)
              --host <addr>           interface to bind (default 127.0.0.1)
              --port <n>              port (default 8470, 0 = any free port)
              --allowed-host <name>   extra Host header accepted (repeatable; for a reverse proxy name)
              --oidc-issuer <url>     enable OIDC login against this issuer (e.g. a Keycloak realm URL)
              --oidc-client-id <id>   OIDC client id (default tokentrail-viewer)
              --oidc-role <role>      role a user must hold (default tokentrail-auditor)
              --public-url <url>      the viewer's URL as browsers see it (default http://<host>:<port>)
              --session-ttl <dur>     login lifetime, ISO-8601 (default PT8H)
              --refresh <dur>         how often new commits and shards are picked up (default PT1S)
              --tail-max <n>          live tail: records sent per refresh at most; more are counted and
                                      reported to the browser as skipped (default 1000)
              --node <name>           this viewer's node; its shard is <root>/viewer-<node> (default host name)

            Findings (rules run on newly committed records; see README for every option):
              --findings on|off       run the rules incrementally (default on)
              --findings-interval <dur>  how often (default PT5S)
              --findings-lag <dur>    evaluate records once they are this old (default PT20S)
              --spread-max-peers <n>, --spread-max-agents <n>, --spread-window <dur>   TOKEN_SPREAD (3, 3, PT10M)
              --burst-max <n>, --burst-window <dur>                                    BURST (300, PT1M)
              --storm-max-per-peer <n>, --storm-max-per-user <n>, --storm-window <dur> AUTH_FAILURE_STORM (30, 10, PT1M)
              --expiry-grace <dur>    USE_AFTER_EXPIRY tolerance (PT5S)
              --refresh-retry-window <dur>  REFRESH_REUSE retry tolerance (PT10S)
              --state-ttl <dur>       lifecycle state kept and rebuilt at start (PT24H)
              --trusted-proxy <ip>    peer whose X-Forwarded-For is believed (repeatable)
              --watched-issuer <url>  issuer for UNKNOWN_TOKEN (repeatable; default: learned)
              --webhook <url>         POST each new finding as JSON to this URL
              --webhook-queue <n>     findings waiting for the webhook (default 1000; more are dropped)
              --help                  this text

            Environment: TOKENTRAIL_VIEWER_TOKEN (fixed local token), TOKENTRAIL_OIDC_CLIENT_SECRET
            (confidential OIDC client), TOKENTRAIL_METRICS_TOKEN (bearer token for /metrics and /health).
            """;

    /** Thrown for bad input; the message says what to fix. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    public static ViewerOptions parse(String[] args, Map<String, String> env) {
        Path data = null;
        String host = ServerConfig.DEFAULT_HOST;
        int port = ServerConfig.DEFAULT_PORT;
        List<String> allowed = new ArrayList<>();
        String issuer = null, clientId = null, role = null, publicUrl = null;
        Duration ttl = null, refresh = null;
        int tailMax = 0;
        String node = null;
        FindingsArgs f = new FindingsArgs();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a, inline = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                inline = a.substring(eq + 1);
            }
            if (name.equals("--help") || name.equals("-h")) {
                throw new UsageException("");
            }
            String value;
            if (inline != null) {
                value = inline;
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new UsageException("option " + name + " needs a value");
            }
            switch (name) {
                case "--data" -> data = Path.of(value);
                case "--host" -> host = value;
                case "--port" -> port = parsePort(value);
                case "--allowed-host" -> allowed.add(value);
                case "--oidc-issuer" -> issuer = value;
                case "--oidc-client-id" -> clientId = value;
                case "--oidc-role" -> role = value;
                case "--public-url" -> publicUrl = value;
                case "--session-ttl" -> ttl = parseDuration(name, value);
                case "--refresh" -> refresh = parseDuration(name, value);
                case "--tail-max" -> tailMax = parsePositive(name, value);
                case "--node" -> node = value;
                default -> {
                    if (!f.accept(name, value)) {
                        throw new UsageException("unknown option " + name);
                    }
                }
            }
        }
        if (data == null) {
            throw new UsageException("--data <root> is required");
        }
        if (!Files.isDirectory(data)) {
            throw new UsageException("data root " + data + " is not a directory (start a writer first, or fix the path)");
        }
        try {
            ServerConfig server = new ServerConfig(data.toAbsolutePath().normalize(), host, port, allowed, node);
            SecurityConfig.Oidc oidc = null;
            if (issuer != null) {
                URI pub = URI.create(publicUrl != null ? publicUrl : "http://" + hostForUrl(server.host()) + ":" + port);
                oidc = new SecurityConfig.Oidc(URI.create(issuer), clientId, blankToNull(env.get(ENV_CLIENT_SECRET)),
                        role, pub);
            } else if (clientId != null || role != null) {
                throw new UsageException("--oidc-client-id and --oidc-role need --oidc-issuer");
            }
            SecurityConfig security = new SecurityConfig(blankToNull(env.get(ENV_TOKEN)), oidc, ttl,
                    blankToNull(env.get(ENV_METRICS_TOKEN)));
            return new ViewerOptions(server, security, new LiveConfig(refresh, null, tailMax), f.build());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The findings options, collected while parsing; thresholds default to replay-index's. */
    private static final class FindingsArgs {
        private final FindingsConfig d = FindingsConfig.defaults();
        boolean enabled = true;
        Duration interval, lag, spreadWindow, burstWindow, stormWindow, expiryGrace, retryWindow, stateTtl;
        Integer spreadPeers, spreadAgents, burstMax, stormPeer, stormUser;
        final java.util.Set<String> proxies = new java.util.LinkedHashSet<>();
        final java.util.Set<String> issuers = new java.util.LinkedHashSet<>();
        URI webhook;
        int webhookQueue;

        boolean accept(String name, String v) {
            switch (name) {
                case "--findings" -> {
                    if (!v.equals("on") && !v.equals("off")) {
                        throw new UsageException("--findings must be on or off, was '" + v + "'");
                    }
                    enabled = v.equals("on");
                }
                case "--findings-interval" -> interval = parseDuration(name, v);
                case "--findings-lag" -> lag = parseDuration(name, v);
                case "--spread-max-peers" -> spreadPeers = parsePositive(name, v);
                case "--spread-max-agents" -> spreadAgents = parsePositive(name, v);
                case "--spread-window" -> spreadWindow = parseDuration(name, v);
                case "--burst-max" -> burstMax = parsePositive(name, v);
                case "--burst-window" -> burstWindow = parseDuration(name, v);
                case "--storm-max-per-peer" -> stormPeer = parsePositive(name, v);
                case "--storm-max-per-user" -> stormUser = parsePositive(name, v);
                case "--storm-window" -> stormWindow = parseDuration(name, v);
                case "--expiry-grace" -> expiryGrace = parseDuration(name, v);
                case "--refresh-retry-window" -> retryWindow = parseDuration(name, v);
                case "--state-ttl" -> stateTtl = parseDuration(name, v);
                case "--trusted-proxy" -> proxies.add(v.strip());
                case "--watched-issuer" -> issuers.add(v.strip());
                case "--webhook" -> {
                    try {
                        webhook = new URI(v.strip());
                    } catch (java.net.URISyntaxException e) {
                        throw new UsageException("--webhook must be a URL, was '" + v + "'");
                    }
                }
                case "--webhook-queue" -> webhookQueue = parsePositive(name, v);
                default -> {
                    return false;
                }
            }
            return true;
        }

        FindingsOptions build() {
            for (Duration w : new Duration[] {spreadWindow, burstWindow, stormWindow, stateTtl}) {
                if (w != null && (w.isZero() || w.isNegative())) {
                    throw new UsageException("finding windows and --state-ttl must be positive durations, was " + w);
                }
            }
            FindingsConfig rules = new FindingsConfig(or(expiryGrace, d.expiryGrace()), or(spreadWindow, d.spreadWindow()),
                    or(spreadPeers, d.spreadMaxPeers()), or(spreadAgents, d.spreadMaxAgents()),
                    or(burstWindow, d.burstWindow()), or(burstMax, d.burstMaxRequests()),
                    or(stormWindow, d.stormWindow()), or(stormPeer, d.stormMaxPerPeer()),
                    or(stormUser, d.stormMaxPerUser()), or(retryWindow, d.refreshRetryWindow()),
                    proxies.isEmpty() ? d.trustedProxies() : proxies, issuers.isEmpty() ? d.watchedIssuers() : issuers,
                    d.coverageMargin(), d.coverageGap(), or(stateTtl, d.stateTtl()), d.replayBefore(), d.replayAfter());
            return new FindingsOptions(enabled, rules, interval, lag, webhook, webhookQueue, 0, null);
        }

        private static <T> T or(T v, T dflt) {
            return v != null ? v : dflt;
        }
    }

    private static int parsePositive(String name, String v) {
        try {
            int i = Integer.parseInt(v.strip());
            if (i < 1) {
                throw new UsageException(name + " must be at least 1, was " + i);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number, was '" + v + "'");
        }
    }

    static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static int parsePort(String v) {
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new UsageException("--port must be a number, was '" + v + "'");
        }
    }

    private static Duration parseDuration(String name, String v) {
        try {
            return Duration.parse(v.strip());
        } catch (DateTimeParseException e) {
            throw new UsageException(name + " must be an ISO-8601 duration such as PT8H or PT1S, was '" + v + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
