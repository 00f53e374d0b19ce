package dev.tokentrail.viewer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.query.Page;
import dev.tokentrail.index.query.PageRequest;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.query.SearchQuery;
import dev.tokentrail.index.query.ShardInfo;
import dev.tokentrail.index.query.Timeline;
import dev.tokentrail.index.store.RecordCodec;
import dev.tokentrail.index.store.Schema;
import dev.tokentrail.viewer.audit.AuditEntry;
import dev.tokentrail.viewer.audit.AuditLog;
import dev.tokentrail.viewer.auth.Principal;
import dev.tokentrail.viewer.auth.WebSecurity;
import dev.tokentrail.viewer.export.CurlExport;
import dev.tokentrail.viewer.export.HarExport;
import dev.tokentrail.viewer.findings.FindingsService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The JSON API. Search and timeline accept GET (for plain keys and links) and POST with a JSON
 * body: the UI always POSTs what the user typed, so a pasted raw token never lands in a URL,
 * the browser history or a proxy log.
 */
public final class ApiRoutes {

    private static final Logger LOG = Logger.getLogger(ApiRoutes.class.getName());
    /** An export reads at most this many records; more is a sign the key is too broad. */
    static final int MAX_EXPORT = 10_000;
    private static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    private static final Duration MAX_WINDOW = Duration.ofDays(1);
    private static final java.util.Set<String> BY = java.util.Set.of("token", "session", "peer", "user", "client");
    private static final String BY_MESSAGE = "by must be token, session, user, client or peer";

    private final ReplayReader reader;
    private final AuditLog audit;
    private final FindingsService findings;
    private final ObjectMapper json;
    private final LiveTail tail;
    private final IntSupplier sessions;
    private final String version;
    private final Clock clock;

    public ApiRoutes(ReplayReader reader, AuditLog audit, FindingsService findings, ObjectMapper json, LiveTail tail,
                     IntSupplier sessions, String version, Clock clock) {
        this.reader = reader;
        this.audit = audit;
        this.findings = findings;
        this.json = json;
        this.tail = tail;
        this.sessions = sessions;
        this.version = version;
        this.clock = clock;
    }

    public void install(RoutesConfig routes) {
        routes.get("/api/me", this::me);
        routes.get("/api/search", this::search);
        routes.post("/api/search", this::search);
        routes.get("/api/timeline", this::timeline);
        routes.post("/api/timeline", this::timeline);
        routes.get("/api/exchange/{id}", this::exchange);
        routes.get("/api/record/{id}", this::record);
        routes.get("/api/around", this::around);
        routes.get("/api/shards", this::shards);
        routes.get("/api/export/har", this::exportHar);
        routes.get("/api/export/json", this::exportJson);
        routes.get("/api/export/curl/{id}", this::exportCurl);
        routes.get("/api/audit", this::auditTrail);
        routes.get("/api/findings", this::findingsList);
        routes.post("/api/findings/evaluate", this::evaluate);
        routes.get("/api/findings/{id}", this::finding);
        routes.sse("/api/tail", client -> {
            audit(client.ctx(), "tail", "live tail opened", -1);
            tail.join(client);
        });
        routes.get("/health", this::health);
        routes.get("/metrics", this::metrics);

        routes.exception(BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, audit.scrub(e.getMessage())));
        routes.exception(UnsupportedOperationException.class,
                (e, ctx) -> error(ctx, 503, "the replay index reader is not available in this build"));
        routes.exception(Exception.class, (e, ctx) -> {
            // The request may carry a raw token: log the route, never the parameters.
            LOG.log(Level.WARNING, "request to " + ctx.endpoint().path + " failed", e);
            error(ctx, 500, "internal error (see the viewer's log)");
        });
    }

    /** A client error whose message is safe to return (it never contains request values). */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    // ---- routes ----------------------------------------------------------------------------

    private void me(Context ctx) {
        Principal p = WebSecurity.principal(ctx);
        ctx.json(Map.of("name", p.name(), "via", p.via(), "version", version));
    }

    private void search(Context ctx) {
        Params p = Params.of(ctx, json);
        String q = p.get("q");
        Map<String, String> filters = new LinkedHashMap<>();
        for (String f : List.of("kind", "status", "api", "method", "type", "client", "user", "ip", "node", "realm",
                "severity", "actor")) {
            String v = p.get(f);
            if (v != null && !v.isBlank()) {
                if (Schema.byField(f) == null) {
                    throw new BadRequest("unknown filter " + f);
                }
                filters.put(f, v.strip());
            }
        }
        Instant from = p.instant("from");
        Instant to = p.instant("to");
        boolean newestFirst = !"oldest".equals(p.get("order"));
        PageRequest page = p.page();
        Page<ReplayRecord> res = reader.search(new SearchQuery(blankToNull(q), filters, from, to, newestFirst), page);
        audit(ctx, "search", "q=" + audit.typed(q, res.items())
                + (filters.isEmpty() ? "" : " filters=" + typedValues(filters, res.items()))
                + (from == null ? "" : " from=" + from) + (to == null ? "" : " to=" + to), res.items().size());
        ctx.json(pageJson(res));
    }

    private void timeline(Context ctx) {
        Params p = Params.of(ctx, json);
        String key = required(p.get("key"), "key");
        Timeline t = reader.timeline(key.strip(), p.page());
        audit(ctx, "timeline", keyForAudit(t), t.page().items().size());
        ctx.json(timelineJson(t));
    }

    private void exchange(Context ctx) {
        String id = ctx.pathParam("id");
        Optional<Exchange> x = reader.exchange(id);
        audit(ctx, "exchange", "id=" + audit.typed(id, x.stream().toList()), x.isPresent() ? 1 : 0);
        if (x.isEmpty()) {
            error(ctx, 404, "no exchange with this id");
            return;
        }
        ctx.json(recordJson(x.get()));
    }

    private void record(Context ctx) {
        String id = ctx.pathParam("id");
        Optional<ReplayRecord> r = reader.record(id);
        audit(ctx, "record", "id=" + audit.typed(id, r.stream().toList()), r.isPresent() ? 1 : 0);
        if (r.isEmpty()) {
            error(ctx, 404, "no record with this id");
            return;
        }
        ctx.json(recordJson(r.get()));
    }

    /**
     * The replay window: what the same token, session, peer, user or client did around a record.
     * Either {@code id} (+ {@code by}) or {@code key} + {@code time}.
     */
    private void around(Context ctx) {
        Params p = Params.of(ctx, json);
        Duration before = p.duration("before", DEFAULT_WINDOW);
        Duration after = p.duration("after", DEFAULT_WINDOW);
        String by = Optional.ofNullable(p.get("by")).orElse("token");
        if (!BY.contains(by)) {
            throw new BadRequest(BY_MESSAGE);
        }
        Instant time;
        String key;
        String id = p.get("id");
        if (id != null) {
            ReplayRecord r = reader.record(id).orElse(null);
            if (r == null) {
                error(ctx, 404, "no record with this id");
                return;
            }
            time = r.time();
            key = keyOf(r, by);
            if (key == null) {
                error(ctx, 404, "this record has no " + by + " to follow");
                return;
            }
        } else {
            key = required(p.get("key"), "key or id");
            time = Optional.ofNullable(p.instant("time")).orElseThrow(() -> new BadRequest("time is required with key"));
        }
        Timeline t = reader.around(time, key, before, after, p.page());
        audit(ctx, "around", keyForAudit(t) + " by=" + by + " at=" + time + " -" + before + " +" + after,
                t.page().items().size());
        ObjectNode out = timelineJson(t);
        out.put("by", by);
        out.put("time", time.toString());
        out.put("before", before.toString());
        out.put("after", after.toString());
        ctx.json(out);
    }

    static String keyOf(ReplayRecord r, String by) {
        if (r instanceof Exchange x) {
            TokenIdentity t = x.token();
            return switch (by) {
                case "token" -> Keys.of(t);
                case "session" -> t == null ? null : t.sid();
                case "user" -> t == null ? null : t.sub();
                case "client" -> t == null ? null : t.clientId();
                case "peer" -> x.peer();
                default -> throw new BadRequest(BY_MESSAGE);
            };
        }
        TokenEvent e = (TokenEvent) r;
        return switch (by) {
            case "token" -> e.accessTokenId() != null ? e.accessTokenId() : e.refreshTokenId();
            case "session" -> e.sessionId();
            case "user" -> e.userId();
            case "client" -> e.clientId();
            case "peer" -> e.ip();
            default -> throw new BadRequest(BY_MESSAGE);
        };
    }

    private void shards(Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ShardInfo s : reader.shards()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("directory", s.directory().getFileName().toString());
            m.put("component", s.component());
            m.put("node", s.node());
            m.put("documents", s.documents());
            m.put("bytes", s.bytes());
            m.put("committedAt", s.committedAt() == null ? null : s.committedAt().toString());
            m.put("counters", s.counters());
            out.add(m);
        }
        ctx.json(out);
    }

    private void exportHar(Context ctx) {
        Params p = Params.of(ctx, json);
        Export e = collect(required(p.get("key"), "key"));
        ObjectNode har = HarExport.of(json, "timeline of " + e.timeline().key(), e.records(), version);
        audit(ctx, "export-har", keyForAudit(e.timeline()), e.records().size());
        attachment(ctx, HarExport.fileName(e.timeline().key()), e.truncated());
        ctx.contentType("application/json").result(write(har));
    }

    private void exportJson(Context ctx) {
        Params p = Params.of(ctx, json);
        Export e = collect(required(p.get("key"), "key"));
        ObjectNode out = timelineJson(e.timeline());
        out.remove("items");
        out.remove("nextCursor");
        var arr = out.putArray("records");
        for (ReplayRecord r : e.records()) {
            arr.add(recordJson(r));
        }
        out.put("truncated", e.truncated());
        audit(ctx, "export-json", keyForAudit(e.timeline()), e.records().size());
        attachment(ctx, HarExport.fileName(e.timeline().key()).replace(".har", ".json"), e.truncated());
        ctx.contentType("application/json").result(write(out));
    }

    private void exportCurl(Context ctx) {
        String id = ctx.pathParam("id");
        Optional<Exchange> x = reader.exchange(id);
        audit(ctx, "export-curl", "id=" + audit.typed(id, x.stream().toList()), x.isPresent() ? 1 : 0);
        if (x.isEmpty()) {
            error(ctx, 404, "no exchange with this id");
            return;
        }
        ctx.contentType("text/plain; charset=utf-8").result(CurlExport.of(x.get()));
    }

    private void auditTrail(Context ctx) {
        Params p = Params.of(ctx, json);
        int limit = p.integer("limit", 200, 1, 5_000);
        ctx.json(audit.recent(limit));
    }

    /** Findings, newest first: filters {@code rule}, {@code severity}, {@code q} (a key or words), {@code from}, {@code to}. */
    private void findingsList(Context ctx) {
        Params p = Params.of(ctx, json);
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put(Schema.KIND.field(), "finding");
        String rule = blankToNull(p.get("rule"));
        if (rule != null) {
            rule = rule.toUpperCase(java.util.Locale.ROOT);
            try {
                dev.tokentrail.index.findings.Rule.valueOf(rule);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("unknown rule; one of " + java.util.Arrays.toString(
                        dev.tokentrail.index.findings.Rule.values()));
            }
            filters.put(Schema.TYPE.field(), rule);
        }
        String severity = blankToNull(p.get("severity"));
        if (severity != null) {
            severity = severity.toUpperCase(java.util.Locale.ROOT);
            try {
                dev.tokentrail.index.model.Finding.Severity.valueOf(severity);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("severity must be LOW, MEDIUM, HIGH or CRITICAL");
            }
            filters.put(Schema.SEVERITY.field(), severity);
        }
        String q = blankToNull(p.get("q"));
        Instant from = p.instant("from");
        Instant to = p.instant("to");
        Page<ReplayRecord> res = reader.search(new SearchQuery(q, filters, from, to, true), p.page());
        // The filters are the kind and a rule and severity checked above: nothing typed is left in them.
        audit(ctx, "findings", "q=" + audit.typed(q, res.items()) + " filters=" + filters
                + (from == null ? "" : " from=" + from) + (to == null ? "" : " to=" + to), res.items().size());
        ObjectNode out = pageJson(res);
        out.put("watermark", findings.watermark() == null ? null : findings.watermark().toString());
        ctx.json(out);
    }

    private void finding(Context ctx) {
        String id = ctx.pathParam("id");
        Optional<ReplayRecord> r = reader.record(id).filter(dev.tokentrail.index.model.Finding.class::isInstance);
        audit(ctx, "finding", "id=" + audit.typed(id, r.stream().toList()), r.isPresent() ? 1 : 0);
        if (r.isEmpty()) {
            error(ctx, 404, "no finding with this id");
            return;
        }
        ctx.json(Summaries.of(r.get()));
    }

    /** Re-evaluates every rule over a range now; stores what is new. POST: it writes. */
    private void evaluate(Context ctx) {
        Params p = Params.of(ctx, json);
        Instant from = Optional.ofNullable(p.instant("from")).orElseThrow(() -> new BadRequest("from is required"));
        Instant to = Optional.ofNullable(p.instant("to")).orElseGet(clock::instant);
        if (!from.isBefore(to)) {
            throw new BadRequest("from must be before to");
        }
        if (Duration.between(from, to).compareTo(FindingsService.MAX_RANGE) > 0) {
            throw new BadRequest("a range of at most " + FindingsService.MAX_RANGE.toDays() + " days");
        }
        FindingsService.Evaluation e = findings.evaluate(from, to);
        audit(ctx, "evaluate", "from=" + from + " to=" + to, e.findings().size());
        ObjectNode out = json.createObjectNode();
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("found", e.findings().size());
        out.put("stored", e.stored());
        out.set("items", json.valueToTree(Summaries.of(new ArrayList<ReplayRecord>(e.findings()))));
        ctx.json(out);
    }

    private void health(Context ctx) {
        try {
            List<ShardInfo> shards = reader.shards();
            long docs = shards.stream().mapToLong(ShardInfo::documents).sum();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", tail.lastError() == null ? "up" : "degraded");
            m.put("shards", shards.size());
            m.put("documents", docs);
            if (tail.lastError() != null) {
                m.put("refreshError", tail.lastError());
            }
            m.put("findings", findings.enabled() ? (findings.lastError() == null ? "up" : "degraded") : "off");
            if (findings.lastError() != null) {
                m.put("findingsError", findings.lastError());
            }
            if (findings.watermark() != null) {
                m.put("findingsWatermark", findings.watermark().toString());
            }
            ctx.json(m);
        } catch (RuntimeException e) {
            ctx.status(503).json(Map.of("status", "down", "error", String.valueOf(e.getMessage())));
        }
    }

    private void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(Metrics.render(reader.shards(), sessions.getAsInt(), tail.clients(), tail.skippedTotal(),
                        findings.countsByRule(),
                        findings.counters(), audit.dropped()));
    }

    // ---- helpers ---------------------------------------------------------------------------

    private record Export(Timeline timeline, List<ReplayRecord> records, boolean truncated) {
    }

    private Export collect(String key) {
        Timeline first = reader.timeline(key.strip(), PageRequest.first(PageRequest.MAX_SIZE));
        List<ReplayRecord> all = new ArrayList<>(first.page().items());
        Page<ReplayRecord> page = first.page();
        PageRequest req = PageRequest.first(PageRequest.MAX_SIZE);
        while (page.hasNext() && all.size() < MAX_EXPORT) {
            req = req.next(page);
            page = reader.timeline(key.strip(), req).page();
            all.addAll(page.items());
        }
        boolean truncated = page.hasNext() || all.size() > MAX_EXPORT;
        return new Export(first, all.size() > MAX_EXPORT ? all.subList(0, MAX_EXPORT) : all, truncated);
    }

    private static void attachment(Context ctx, String fileName, boolean truncated) {
        ctx.header("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        if (truncated) {
            ctx.header("X-Tokentrail-Truncated", "first " + MAX_EXPORT + " records only");
        }
    }

    /** The timeline's key as the reader resolved it: a token by its fingerprint, an unknown key never as typed. */
    private String keyForAudit(Timeline t) {
        return "key=" + audit.key(t) + " (" + t.resolvedAs() + ")";
    }

    /** Filter values are typed too (an API client may put anything in {@code user=}). */
    private Map<String, String> typedValues(Map<String, String> filters, List<ReplayRecord> results) {
        Map<String, String> out = new LinkedHashMap<>();
        filters.forEach((k, v) -> out.put(k, audit.typed(v, results)));
        return out;
    }

    private void audit(Context ctx, String action, String subject, long results) {
        Principal p = WebSecurity.principal(ctx);
        audit.record(new AuditEntry(clock.instant(), p.name(), p.via(), action, subject, results));
    }

    private ObjectNode pageJson(Page<ReplayRecord> page) {
        ObjectNode out = json.createObjectNode();
        out.set("items", json.valueToTree(Summaries.of(page.items())));
        out.put("nextCursor", page.nextCursor());
        out.put("totalHits", page.totalHits());
        out.put("totalExact", page.totalExact());
        return out;
    }

    private ObjectNode timelineJson(Timeline t) {
        ObjectNode out = pageJson(t.page());
        out.put("key", t.key());
        out.put("resolvedAs", t.resolvedAs().name());
        out.set("tokenIds", json.valueToTree(t.tokenIds()));
        out.set("sessionIds", json.valueToTree(t.sessionIds()));
        return out;
    }

    private ObjectNode recordJson(ReplayRecord r) {
        ObjectNode n = json.valueToTree(r);
        n.put("kind", RecordCodec.kind(r));
        return n;
    }

    private String write(JsonNode n) {
        try {
            return json.writeValueAsString(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("error", message == null ? "error" : message));
    }

    private static String required(String v, String name) {
        if (v == null || v.isBlank()) {
            throw new BadRequest(name + " is required");
        }
        return v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** Parameters from the query string (GET) or a JSON object body (POST). */
    record Params(Map<String, String> values) {

        static Params of(Context ctx, ObjectMapper json) {
            Map<String, String> m = new LinkedHashMap<>();
            ctx.queryParamMap().forEach((k, v) -> {
                if (!v.isEmpty()) {
                    m.put(k, v.get(0));
                }
            });
            if (ctx.method() == io.javalin.http.HandlerType.POST) {
                String ct = ctx.contentType();
                if (ct == null || !ct.toLowerCase().startsWith("application/json")) {
                    throw new BadRequest("POST bodies must be application/json");
                }
                try {
                    JsonNode body = json.readTree(ctx.body());
                    if (body == null || !body.isObject()) {
                        throw new BadRequest("the body must be a JSON object");
                    }
                    body.properties().forEach(e -> {
                        if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                            m.put(e.getKey(), e.getValue().asText());
                        }
                    });
                } catch (IOException e) {
                    throw new BadRequest("the body is not valid JSON");
                }
            }
            return new Params(m);
        }

        String get(String k) {
            return values.get(k);
        }

        PageRequest page() {
            return new PageRequest(integer("size", PageRequest.DEFAULT_SIZE, 1, PageRequest.MAX_SIZE),
                    blankToNull(get("cursor")));
        }

        int integer(String k, int dflt, int min, int max) {
            String v = get(k);
            if (v == null || v.isBlank()) {
                return dflt;
            }
            try {
                int i = Integer.parseInt(v.strip());
                if (i < min || i > max) {
                    throw new BadRequest(k + " must be " + min + ".." + max);
                }
                return i;
            } catch (NumberFormatException e) {
                throw new BadRequest(k + " must be a number");
            }
        }

        Instant instant(String k) {
            String v = get(k);
            if (v == null || v.isBlank()) {
                return null;
            }
            try {
                return Instant.parse(v.strip());
            } catch (DateTimeParseException e) {
                throw new BadRequest(k + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
        }

        Duration duration(String k, Duration dflt) {
            String v = get(k);
            if (v == null || v.isBlank()) {
                return dflt;
            }
            try {
                Duration d = Duration.parse(v.strip());
                if (d.isNegative() || d.compareTo(MAX_WINDOW) > 0) {
                    throw new BadRequest(k + " must be between PT0S and P1D");
                }
                return d;
            } catch (DateTimeParseException e) {
                throw new BadRequest(k + " must be an ISO-8601 duration such as PT5M");
            }
        }
    }
}
