package dev.tokentrail.gateway;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * Node-wide settings, read from the gateway's environment: a JVM system property
 * ({@code -Dtokentrail.data.root=...}, also settable in {@code GRAVITEE_OPTS}) or else an
 * environment variable ({@code TOKENTRAIL_DATA_ROOT}). One writer per gateway node uses them for
 * every API; an API owner cannot change where data goes or how long it stays.
 *
 * @param enabled        false turns every Tokentrail Capture step into a pass-through
 * @param dataRoot       the replay-index data root (shards and the fingerprint key live here)
 * @param node           this gateway's node name; the shard is {@code <dataRoot>/gateway-<node>}
 * @param queueCapacity  records waiting for the writer before new ones are dropped (and counted)
 * @param commitInterval how often captures become durable and visible to the viewer
 * @param maxAge         retention by age (null: keep)
 * @param maxBytes       retention by shard size (0: no cap)
 * @param background     whether masking and indexing yield the CPU to the gateway (nice 19 on Linux):
 *                       under CPU saturation capture falls behind and drops, the gateway does not slow down
 */
record NodeSettings(boolean enabled, Path dataRoot, String node, int queueCapacity, Duration commitInterval,
                    Duration maxAge, long maxBytes, boolean background) {

    static final String ENABLED = "tokentrail.enabled";
    static final String DATA_ROOT = "tokentrail.data.root";
    static final String NODE = "tokentrail.node";
    static final String QUEUE_CAPACITY = "tokentrail.queue.capacity";
    static final String COMMIT_INTERVAL = "tokentrail.commit.interval";
    static final String RETENTION_MAX_AGE = "tokentrail.retention.max-age";
    static final String RETENTION_MAX_BYTES = "tokentrail.retention.max-bytes";
    static final String CPU_PRIORITY = "tokentrail.cpu.priority";

    static final int DEFAULT_QUEUE_CAPACITY = 65_536;
    static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);

    /** From system properties, then environment variables (name upper-cased, '.' and '-' as '_'). */
    static NodeSettings fromEnvironment() {
        return from(name -> {
            String v = System.getProperty(name);
            if (v == null || v.isBlank()) {
                v = System.getenv(envName(name));
            }
            return v == null || v.isBlank() ? null : v.strip();
        });
    }

    static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Parses settings from a lookup. Bad values fail with a message naming the setting, the value
     * and what is expected: the node then records nothing (and says so) rather than guess.
     */
    static NodeSettings from(Function<String, String> lookup) {
        boolean enabled = !"false".equalsIgnoreCase(lookup.apply(ENABLED));
        String root = lookup.apply(DATA_ROOT);
        Path dataRoot;
        if (root != null) {
            dataRoot = Path.of(root);
        } else {
            String home = lookup.apply("gravitee.home");
            dataRoot = home != null ? Path.of(home, "tokentrail") : Path.of("tokentrail");
        }
        String node = lookup.apply(NODE);
        int queue = parseInt(QUEUE_CAPACITY, lookup.apply(QUEUE_CAPACITY), DEFAULT_QUEUE_CAPACITY);
        Duration commit = parseDuration(COMMIT_INTERVAL, lookup.apply(COMMIT_INTERVAL), DEFAULT_COMMIT_INTERVAL);
        Duration maxAge = parseDuration(RETENTION_MAX_AGE, lookup.apply(RETENTION_MAX_AGE), null);
        long maxBytes = parseSize(RETENTION_MAX_BYTES, lookup.apply(RETENTION_MAX_BYTES));
        String priority = lookup.apply(CPU_PRIORITY);
        boolean background = priority == null || priority.equalsIgnoreCase("background");
        if (!background && !priority.equalsIgnoreCase("normal")) {
            throw bad(CPU_PRIORITY, priority, "background or normal");
        }
        if (queue < 1) {
            throw bad(QUEUE_CAPACITY, String.valueOf(queue), "a positive number of records, e.g. 65536");
        }
        if (commit.isZero() || commit.isNegative()) {
            throw bad(COMMIT_INTERVAL, commit.toString(), "a positive duration, e.g. 1s or 500ms");
        }
        return new NodeSettings(enabled, dataRoot.toAbsolutePath().normalize(), node, queue, commit, maxAge, maxBytes,
                background);
    }

    /** The node name, resolving the host name if none was configured (may touch DNS: never on an event loop). */
    String resolvedNode() {
        if (node != null) {
            return node;
        }
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                host = "gateway";
            }
        }
        return host;
    }

    static int parseInt(String name, String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw bad(name, value, "a whole number, e.g. 65536");
        }
    }

    /** {@code 500ms}, {@code 2s}, {@code 5m}, {@code 12h}, {@code 30d}, or ISO-8601 ({@code PT1S}). */
    static Duration parseDuration(String name, String value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).strip()));
            }
            long n = Long.parseLong(v.substring(0, v.length() - 1).strip());
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw bad(name, value, "a duration such as 500ms, 2s, 5m, 12h, 30d or PT1S");
        }
    }

    /** Bytes, or with a k/m/g/t suffix (powers of 1024); 0 or absent means no cap. */
    static long parseSize(String name, String value) {
        if (value == null) {
            return 0;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        try {
            long unit = 1;
            char last = v.isEmpty() ? ' ' : v.charAt(v.length() - 1);
            switch (last) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                case 't' -> unit = 1L << 40;
                default -> { }
            }
            String digits = unit == 1 ? v : v.substring(0, v.length() - 1);
            long n = Long.parseLong(digits.strip());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(name, value, "a size such as 10g, 500m or 1048576 (bytes)");
        }
    }

    private static IllegalArgumentException bad(String name, String value, String expected) {
        return new IllegalArgumentException("Tokentrail setting " + name + " (env " + envName(name) + ") is '"
                + value + "': expected " + expected);
    }
}
