package dev.tokentrail.keycloak;

import dev.tokentrail.index.store.ShardConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.keycloak.events.EventType;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * The listener's options, parsed and checked once at start. Every bad value is an
 * {@link IllegalArgumentException} naming the option in both its CLI and environment forms,
 * so Keycloak refuses to start with a message the operator can act on.
 *
 * @param dataRoot           data root shared with the other Tokentrail components
 * @param node               this node's name: the shard is {@code <dataRoot>/keycloak-<node>}
 * @param queueSize          records held in memory before new ones are dropped (and counted)
 * @param commitInterval     how often recorded events become durable and visible
 * @param adminEvents        record admin events that end sessions or invalidate credentials
 * @param eventTypes         the user event types recorded
 * @param allRealms          listen in every realm without adding the listener to each realm
 * @param maxAge             events older than this are deleted (null: keep)
 * @param maxBytes           the shard is trimmed above this size (0: no cap)
 * @param metricsLogInterval how often the writer counters are logged (zero: only at shutdown)
 * @param background         whether the writer yields the CPU to Keycloak (nice 19 on Linux)
 */
record ListenerConfig(Path dataRoot, String node, int queueSize, Duration commitInterval, boolean adminEvents,
                      Set<EventType> eventTypes, boolean allRealms, Duration maxAge, long maxBytes,
                      Duration metricsLogInterval, boolean background) {

    static final String PROVIDER_ID = "tokentrail";

    static final String DATA_ROOT = "data-root";
    static final String NODE_NAME = "node-name";
    static final String QUEUE_SIZE = "queue-size";
    static final String COMMIT_INTERVAL = "commit-interval";
    static final String ADMIN_EVENTS = "admin-events";
    static final String INCLUDE_EVENTS = "include-events";
    static final String EXCLUDE_EVENTS = "exclude-events";
    static final String ALL_REALMS = "all-realms";
    static final String MAX_AGE = "max-age";
    static final String MAX_SIZE = "max-size";
    static final String METRICS_LOG_INTERVAL = "metrics-log-interval";
    static final String CPU_PRIORITY = "cpu-priority";

    static final int MAX_QUEUE_SIZE = 10_000_000;
    static final String DEFAULT_MAX_AGE = "30d";

    /**
     * User events about tokens and sessions, and those that end a session or invalidate
     * credentials. Everything else (profile updates, e-mail verification ...) is not a token's life.
     */
    static final Set<EventType> DEFAULT_EVENT_TYPES = Collections.unmodifiableSet(withErrors(EnumSet.of(
            EventType.LOGIN, EventType.CLIENT_LOGIN, EventType.CODE_TO_TOKEN, EventType.REFRESH_TOKEN,
            EventType.TOKEN_EXCHANGE, EventType.INTROSPECT_TOKEN, EventType.USER_INFO_REQUEST,
            EventType.REVOKE_GRANT, EventType.LOGOUT, EventType.USER_SESSION_DELETED,
            EventType.OAUTH2_DEVICE_CODE_TO_TOKEN, EventType.AUTHREQID_TO_TOKEN, EventType.OAUTH2_EXTENSION_GRANT,
            EventType.JWT_AUTHORIZATION_GRANT, EventType.PERMISSION_TOKEN, EventType.IMPERSONATE,
            EventType.DELETE_ACCOUNT, EventType.USER_DISABLED_BY_PERMANENT_LOCKOUT,
            EventType.USER_DISABLED_BY_TEMPORARY_LOCKOUT, EventType.UPDATE_PASSWORD, EventType.RESET_PASSWORD,
            EventType.UPDATE_CREDENTIAL, EventType.REMOVE_CREDENTIAL, EventType.REMOVE_TOTP, EventType.UPDATE_TOTP)));

    ListenerConfig {
        eventTypes = Collections.unmodifiableSet(eventTypes.isEmpty()
                ? EnumSet.noneOf(EventType.class) : EnumSet.copyOf(eventTypes));
    }

    /** The shard configuration this listener writes with. */
    ShardConfig shardConfig() {
        return ShardConfig.of(dataRoot, "keycloak", node)
                .withQueueCapacity(queueSize)
                .withCommitInterval(commitInterval)
                .withRetention(maxAge, maxBytes)
                .withBackground(background);
    }

    /**
     * Parses options from a lookup (Keycloak's {@code Config.Scope::get}); {@code null} means unset.
     * {@code kcHome} is Keycloak's home directory ({@code kc.home.dir}), or null.
     */
    static ListenerConfig parse(UnaryOperator<String> options, String kcHome) {
        String root = trimToNull(options.apply(DATA_ROOT));
        Path dataRoot;
        if (root != null) {
            dataRoot = path(root);
        } else {
            // Beside Keycloak's own data (data/h2, data/transaction-logs): backed up and mounted with it.
            dataRoot = (kcHome == null ? Path.of("data") : path(kcHome).resolve("data")).resolve("tokentrail");
        }
        String node = trimToNull(options.apply(NODE_NAME));
        if (node == null) {
            node = defaultNodeName();
        } else if (!node.matches("[A-Za-z0-9._-]{1,128}") || node.startsWith(".")) {
            throw invalid(NODE_NAME, node, "letters, digits, '.', '_' and '-' only (it becomes a directory name),"
                    + " not starting with '.', at most 128 characters");
        }
        int queueSize = parseInt(QUEUE_SIZE, options.apply(QUEUE_SIZE), ShardConfig.DEFAULT_QUEUE_CAPACITY, 1,
                MAX_QUEUE_SIZE);
        Duration commitInterval = parseDuration(COMMIT_INTERVAL, options.apply(COMMIT_INTERVAL),
                ShardConfig.DEFAULT_COMMIT_INTERVAL, false);
        if (commitInterval.compareTo(Duration.ofMillis(10)) < 0 || commitInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw invalid(COMMIT_INTERVAL, options.apply(COMMIT_INTERVAL), "must be between 10ms and 1h");
        }
        boolean adminEvents = parseBoolean(ADMIN_EVENTS, options.apply(ADMIN_EVENTS), true);
        boolean allRealms = parseBoolean(ALL_REALMS, options.apply(ALL_REALMS), false);
        Set<EventType> types = parseTypes(INCLUDE_EVENTS, options.apply(INCLUDE_EVENTS), DEFAULT_EVENT_TYPES);
        types.removeAll(parseTypes(EXCLUDE_EVENTS, options.apply(EXCLUDE_EVENTS), Set.of()));
        String ageText = trimToNull(options.apply(MAX_AGE));
        Duration maxAge = "none".equalsIgnoreCase(ageText) || "0".equals(ageText) ? null
                : parseDuration(MAX_AGE, ageText == null ? DEFAULT_MAX_AGE : ageText, null, false);
        long maxBytes = parseSize(MAX_SIZE, options.apply(MAX_SIZE));
        Duration metricsLog = parseDuration(METRICS_LOG_INTERVAL, options.apply(METRICS_LOG_INTERVAL),
                Duration.ofMinutes(5), true);
        String priority = trimToNull(options.apply(CPU_PRIORITY));
        boolean background = priority == null || priority.equalsIgnoreCase("background");
        if (!background && !priority.equalsIgnoreCase("normal")) {
            throw invalid(CPU_PRIORITY, priority, "must be background or normal");
        }
        return new ListenerConfig(dataRoot, node, queueSize, commitInterval, adminEvents, types, allRealms, maxAge,
                maxBytes, metricsLog, background);
    }

    /** What {@code kc.sh} and the admin console's provider info show about our options. */
    static List<ProviderConfigProperty> metadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(DATA_ROOT).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Tokentrail data root (shared with the viewer; holds the fingerprint key)."
                        + " Default: <kc.home.dir>/data/tokentrail.").add()
                .property().name(NODE_NAME).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("This node's name; the shard is <data-root>/keycloak-<node-name>. Must be unique per"
                        + " node. Default: the host name.").add()
                .property().name(QUEUE_SIZE).type(ProviderConfigProperty.INTEGER_TYPE)
                .defaultValue(ShardConfig.DEFAULT_QUEUE_CAPACITY)
                .helpText("Events held in memory before new ones are dropped and counted (1.." + MAX_QUEUE_SIZE + ").").add()
                .property().name(COMMIT_INTERVAL).type(ProviderConfigProperty.STRING_TYPE).defaultValue("1s")
                .helpText("How often events become durable and searchable, e.g. 500ms, 1s, 5s (10ms..1h).").add()
                .property().name(ADMIN_EVENTS).type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(true)
                .helpText("Record admin events that end sessions or invalidate credentials.").add()
                .property().name(INCLUDE_EVENTS).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Comma-separated user event types to record, or * for all. Default: the token and"
                        + " session events.").add()
                .property().name(EXCLUDE_EVENTS).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Comma-separated user event types never recorded.").add()
                .property().name(ALL_REALMS).type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue(false)
                .helpText("Listen in every realm, without adding 'tokentrail' to each realm's event listeners.").add()
                .property().name(MAX_AGE).type(ProviderConfigProperty.STRING_TYPE).defaultValue(DEFAULT_MAX_AGE)
                .helpText("Delete events older than this, e.g. 30d, 12h; 'none' keeps them.").add()
                .property().name(MAX_SIZE).type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Trim the shard, oldest first, above this size, e.g. 5GB, 500MB. Default: no cap.").add()
                .property().name(METRICS_LOG_INTERVAL).type(ProviderConfigProperty.STRING_TYPE).defaultValue("5m")
                .helpText("How often the writer counters are logged; 0 logs them only at shutdown.").add()
                .property().name(CPU_PRIORITY).type(ProviderConfigProperty.LIST_TYPE).defaultValue("background")
                .options("background", "normal")
                .helpText("background: the writer yields the CPU to Keycloak (nice 19 on Linux) and, when Keycloak"
                        + " saturates the CPU, falls behind and drops (counted) rather than slow logins; normal:"
                        + " it competes like any Keycloak thread.").add()
                .build();
    }

    /** The option as an operator types it, both ways, for error messages. */
    static String optionNames(String key) {
        String env = key.toUpperCase(Locale.ROOT).replace('-', '_');
        return "--spi-events-listener--" + PROVIDER_ID + "--" + key + " (KC_SPI_EVENTS_LISTENER__"
                + PROVIDER_ID.toUpperCase(Locale.ROOT) + "__" + env + ")";
    }

    private static IllegalArgumentException invalid(String key, String value, String why) {
        return new IllegalArgumentException("Tokentrail: invalid value '" + value + "' for option "
                + optionNames(key) + ": " + why);
    }

    private static String trimToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static Path path(String s) {
        try {
            return Path.of(s).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            throw invalid(DATA_ROOT, s, "not a valid path: " + e.getMessage());
        }
    }

    private static String defaultNodeName() {
        String host = null;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = System.getenv("HOSTNAME");
        }
        if (host == null || host.isBlank()) {
            return "keycloak";
        }
        // A host name may carry characters a directory should not: ShardConfig would rewrite them anyway.
        return host.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    static int parseInt(String key, String raw, int dflt, int min, int max) {
        String s = trimToNull(raw);
        if (s == null) {
            return dflt;
        }
        try {
            long v = Long.parseLong(s.replace("_", ""));
            if (v < min || v > max) {
                throw invalid(key, raw, "must be between " + min + " and " + max);
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw invalid(key, raw, "not a whole number");
        }
    }

    static boolean parseBoolean(String key, String raw, boolean dflt) {
        String s = trimToNull(raw);
        if (s == null) {
            return dflt;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, raw, "must be true or false");
        };
    }

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?",
            Pattern.CASE_INSENSITIVE);

    /** Durations as operators write them: {@code 500ms}, {@code 1s}, {@code 5m}, {@code 12h}, {@code 30d}, ISO-8601. */
    static Duration parseDuration(String key, String raw, Duration dflt, boolean zeroAllowed) {
        String s = trimToNull(raw);
        if (s == null) {
            return dflt;
        }
        Duration d;
        Matcher m = SIMPLE_DURATION.matcher(s);
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw invalid(key, raw, "number too large");
            }
            String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
            try {
                d = switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } catch (ArithmeticException e) {
                throw invalid(key, raw, "number too large");
            }
        } else {
            try {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid(key, raw, "not a duration; write e.g. 500ms, 1s, 5m, 12h, 30d or PT1S");
            }
        }
        if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
            throw invalid(key, raw, zeroAllowed ? "must not be negative" : "must be positive");
        }
        return d;
    }

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb|tb|k|m|g|t|kib|mib|gib|tib)?",
            Pattern.CASE_INSENSITIVE);

    /** Sizes: {@code 0}/{@code none} (no cap), {@code 500MB}, {@code 5GB}; units are powers of 1024. */
    static long parseSize(String key, String raw) {
        String s = trimToNull(raw);
        if (s == null || "none".equalsIgnoreCase(s)) {
            return 0;
        }
        Matcher m = SIZE.matcher(s);
        if (!m.matches()) {
            throw invalid(key, raw, "not a size; write e.g. 500MB, 5GB or none");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (unit.charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw invalid(key, raw, "too large");
            }
            long bytes = n << shift;
            if (bytes != 0 && bytes < (1L << 20)) {
                throw invalid(key, raw, "must be at least 1MB (or none)");
            }
            return bytes;
        } catch (NumberFormatException e) {
            throw invalid(key, raw, "too large");
        }
    }

    static Set<EventType> parseTypes(String key, String raw, Set<EventType> dflt) {
        String s = trimToNull(raw);
        Set<EventType> out = EnumSet.noneOf(EventType.class);
        if (s == null) {
            out.addAll(dflt);
            return out;
        }
        if (s.equals("*")) {
            out.addAll(EnumSet.allOf(EventType.class));
            return out;
        }
        List<String> unknown = new ArrayList<>();
        for (String part : s.split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            try {
                out.add(EventType.valueOf(part.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                unknown.add(part);
            }
        }
        if (!unknown.isEmpty()) {
            throw invalid(key, raw, "unknown Keycloak event type(s) " + unknown + "; use names such as LOGIN,"
                    + " REFRESH_TOKEN, LOGIN_ERROR, or * for all");
        }
        return out;
    }

    private static Set<EventType> withErrors(Set<EventType> base) {
        Set<EventType> out = EnumSet.copyOf(base);
        for (EventType t : base) {
            try {
                out.add(EventType.valueOf(t.name() + "_ERROR"));
            } catch (IllegalArgumentException noErrorForm) {
                // e.g. USER_SESSION_DELETED has none
            }
        }
        return out;
    }
}
