package dev.tokentrail.viewer.api;

import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.findings.Rule;
import dev.tokentrail.index.model.AuditEvent;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Finding;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.store.RecordCodec;
import dev.tokentrail.viewer.findings.FindingsService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact row form of a record for lists (search, timeline, tail): what a row shows and what
 * the lanes need, without headers or bodies. Values stay raw text; the browser renders them as text.
 */
final class Summaries {

    /** A 10,000-character user agent is evidence, but not for a list row: the detail view has it all. */
    static final int MAX_ROW_TEXT = 300;

    private Summaries() {
    }

    static Map<String, Object> of(ReplayRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", RecordCodec.kind(r));
        m.put("id", r.id());
        m.put("time", r.time().toString());
        m.put("node", r.node());
        if (r instanceof Exchange x) {
            m.put("method", x.method());
            m.put("path", cut(x.path()));
            m.put("query", cut(x.query()));
            m.put("status", x.status());
            m.put("latencyMs", x.latency() == null ? null : x.latency().toNanos() / 1_000_000.0);
            m.put("peer", x.peer());
            m.put("forwardedFor", x.forwardedFor());
            m.put("api", x.api());
            m.put("userAgent", cut(x.userAgent()));
            List<Map<String, Object>> tokens = new ArrayList<>();
            for (TokenIdentity t : x.tokens()) {
                Map<String, Object> tm = new LinkedHashMap<>();
                tm.put("id", Keys.of(t));
                tm.put("jti", t.jti());
                tm.put("fingerprint", t.fingerprint());
                tm.put("kind", t.kind() == null ? null : t.kind().name());
                tm.put("typ", t.typ());
                tm.put("sid", t.sid());
                tm.put("sub", t.sub());
                tm.put("client", t.clientId());
                tm.put("unsigned", t.unsigned());
                tokens.add(tm);
            }
            m.put("tokens", tokens);
            m.put("error", x.status() == 0 || x.status() >= 400);
        } else if (r instanceof TokenEvent e) {
            m.put("type", e.type().name());
            m.put("eventName", e.eventName());
            m.put("realm", e.realm());
            m.put("client", e.clientId());
            m.put("user", e.userId());
            m.put("session", e.sessionId());
            m.put("ip", e.ip());
            m.put("accessTokenId", e.accessTokenId());
            m.put("refreshTokenId", e.refreshTokenId());
            m.put("newRefreshTokenId", e.newRefreshTokenId());
            m.put("errorCode", e.error());
            m.put("actor", e.actor());
            m.put("error", e.error() != null || e.type().name().equals("ERROR"));
        } else if (r instanceof Finding f) {
            m.put("rule", f.rule());
            m.put("severity", f.severity().name());
            m.put("summary", cut(f.summary()));
            Rule rule = FindingsService.rule(f);
            m.put("explanation", rule == null ? null : rule.explanation());
            m.put("key", FindingsService.keyOf(f));
            m.put("tokenId", f.tokenId());
            m.put("sessionId", f.sessionId());
            m.put("fingerprint", f.fingerprint());
            m.put("user", f.userId());
            m.put("peer", f.peer());
            m.put("windowFrom", f.windowFrom() == null ? null : f.windowFrom().toString());
            m.put("windowTo", f.windowTo() == null ? null : f.windowTo().toString());
            m.put("recordIds", f.recordIds());
        } else if (r instanceof AuditEvent a) {
            m.put("actor", a.actor());
            m.put("action", a.action());
        }
        m.values().removeIf(v -> v == null);
        return m;
    }

    static List<Map<String, Object>> of(List<ReplayRecord> rs) {
        List<Map<String, Object>> out = new ArrayList<>(rs.size());
        for (ReplayRecord r : rs) {
            out.add(of(r));
        }
        return out;
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_ROW_TEXT ? s : s.substring(0, MAX_ROW_TEXT) + "… (" + s.length() + " chars)";
    }
}
