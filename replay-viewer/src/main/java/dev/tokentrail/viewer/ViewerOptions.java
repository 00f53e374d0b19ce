package dev.tokentrail.viewer;

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
public record ViewerOptions(ServerConfig server, SecurityConfig security, LiveConfig live) {

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
                default -> throw new UsageException("unknown option " + name);
            }
        }
        if (data == null) {
            throw new UsageException("--data <root> is required");
        }
        if (!Files.isDirectory(data)) {
            throw new UsageException("data root " + data + " is not a directory (start a writer first, or fix the path)");
        }
        try {
            ServerConfig server = new ServerConfig(data.toAbsolutePath().normalize(), host, port, allowed);
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
            return new ViewerOptions(server, security, new LiveConfig(refresh, null));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
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
