package dev.tokentrail.index.store;

/**
 * Every index field, in one place. The module README's table is checked against this enum by
 * a test; the viewer and any later sink must use these names.
 */
public enum Schema {
    KIND("kind", Type.KEYWORD, "`event` (identity provider), `exchange` (gateway), `finding` (rules) or `audit` (viewer)"),
    ID("id", Type.KEYWORD_SORTED, "record id: request id or event id; the tie-breaker of time order"),
    TIME("time", Type.LONG, "event time / request start, epoch microseconds; the timeline order"),
    LINK("link", Type.KEYWORD_SORTED_SET, "timeline links: `t:<token id>`, `s:<session id>`, `f:<fingerprint>` (multi-valued)"),
    TOKEN_ID("token_id", Type.KEYWORD, "every token id named: access jti, refresh jti, rotated refresh jti"),
    SESSION_ID("session_id", Type.KEYWORD, "IdP session id (`sid`)"),
    FINGERPRINT("fingerprint", Type.KEYWORD, "keyed fingerprints of the credentials presented"),
    USER("user", Type.KEYWORD, "user id: event user or token `sub`"),
    ACTOR("actor", Type.KEYWORD, "who acted: the administrator of an admin event, the investigator of an audit entry"),
    CLIENT("client", Type.KEYWORD, "OAuth client: event client or token `azp`/`client_id`"),
    IP("ip", Type.KEYWORD, "addresses: event IP, socket peer and every X-Forwarded-For entry"),
    TYPE("type", Type.KEYWORD, "normalized event type, `EXCHANGE`, or the finding's rule"),
    SEVERITY("severity", Type.KEYWORD, "finding severity: LOW, MEDIUM, HIGH, CRITICAL"),
    EVENT_NAME("event_name", Type.KEYWORD, "the provider's own event name (LOGIN, REFRESH_TOKEN_ERROR, ...)"),
    REALM("realm", Type.KEYWORD, "realm"),
    ISSUER("issuer", Type.KEYWORD, "token `iss`"),
    API("api", Type.KEYWORD, "gateway API"),
    APPLICATION("application", Type.KEYWORD, "gateway application"),
    METHOD("method", Type.KEYWORD, "HTTP method"),
    PATH("path", Type.KEYWORD, "request path, exact"),
    TRANSACTION_ID("transaction_id", Type.KEYWORD, "gateway transaction id"),
    NODE("node", Type.KEYWORD, "recording node"),
    ERROR("error", Type.KEYWORD, "IdP error code"),
    STATUS("status", Type.INT, "HTTP response status (0: none)"),
    LATENCY("latency", Type.LONG, "latency in microseconds (-1: unknown)"),
    EXPIRES("expires", Type.LONG, "token `exp`, epoch microseconds (multi-valued when several tokens were presented)"),
    TEXT("text", Type.TEXT, "full text: path, masked query, the first 4 KiB of each masked body, user agent, error, details (not stored)"),
    PAYLOAD("payload", Type.STORED, "the whole masked record as JSON, stored with best compression");

    /** How a field is indexed. */
    public enum Type {
        KEYWORD("keyword (exact, multi-valued)"),
        KEYWORD_SORTED("keyword + sorted doc values"),
        KEYWORD_SORTED_SET("keyword + sorted-set doc values (multi-valued)"),
        LONG("long point + doc values"),
        INT("int point + doc values"),
        TEXT("full text (StandardAnalyzer, documents only: filtered, never scored)"),
        STORED("stored only");

        final String description;

        Type(String description) {
            this.description = description;
        }
    }

    private final String field;
    private final Type type;
    private final String description;

    Schema(String field, Type type, String description) {
        this.field = field;
        this.type = type;
        this.description = description;
    }

    /** The Lucene field name. */
    public String field() {
        return field;
    }

    public Type type() {
        return type;
    }

    public String description() {
        return description;
    }

    /** Times are stored as epoch microseconds: ordering finer than milliseconds, range to year 294247. */
    public static long micros(java.time.Instant t) {
        return Documents.micros(t);
    }

    public static java.time.Instant instant(long micros) {
        return Documents.instant(micros);
    }

    /** Looks a field up by its Lucene name, for search filters; null when unknown. */
    public static Schema byField(String name) {
        for (Schema s : values()) {
            if (s.field.equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** The schema as a markdown table, as the module README shows it. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| field | indexed as | holds |\n|---|---|---|\n");
        for (Schema s : values()) {
            sb.append("| `").append(s.field).append("` | ").append(s.type.description).append(" | ")
                    .append(s.description).append(" |\n");
        }
        return sb.toString();
    }
}
