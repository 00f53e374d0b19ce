package dev.tokentrail.viewer.api;

import dev.tokentrail.index.query.ShardInfo;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Prometheus text exposition (format 0.0.4) of the shards and the writer counters they carry. */
final class Metrics {

    private Metrics() {
    }

    static String render(List<ShardInfo> shards, int sessions, int tailClients, long tailSkipped,
                         Map<String, Long> findingsByRule, Map<String, Long> findingsCounters, long auditDropped) {
        StringBuilder b = new StringBuilder(1024);
        gauge(b, "tokentrail_shards", "Shards found under the data root.");
        b.append("tokentrail_shards ").append(shards.size()).append('\n');
        gauge(b, "tokentrail_shard_documents", "Live documents in the shard's last commit.");
        for (ShardInfo s : shards) {
            b.append("tokentrail_shard_documents").append(labels(s)).append(' ').append(s.documents()).append('\n');
        }
        gauge(b, "tokentrail_shard_bytes", "Shard size on disk.");
        for (ShardInfo s : shards) {
            b.append("tokentrail_shard_bytes").append(labels(s)).append(' ').append(s.bytes()).append('\n');
        }
        gauge(b, "tokentrail_shard_last_commit_timestamp_seconds", "When the shard's writer last committed.");
        for (ShardInfo s : shards) {
            if (s.committedAt() != null) {
                b.append("tokentrail_shard_last_commit_timestamp_seconds").append(labels(s)).append(' ')
                        .append(s.committedAt().toEpochMilli() / 1000.0).append('\n');
            }
        }
        // Writer counters as committed with the shard: offered, dropped, indexed, failed, ...
        Map<String, StringBuilder> counters = new TreeMap<>();
        for (ShardInfo s : shards) {
            for (Map.Entry<String, Long> c : new TreeMap<>(s.counters()).entrySet()) {
                String name = "tokentrail_writer_" + c.getKey().toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_total";
                counters.computeIfAbsent(name, n -> new StringBuilder())
                        .append(name).append(labels(s)).append(' ').append(c.getValue()).append('\n');
            }
        }
        counters.forEach((name, lines) -> {
            b.append("# HELP ").append(name).append(" Writer counter at the shard's last commit.\n");
            b.append("# TYPE ").append(name).append(" counter\n").append(lines);
        });
        gauge(b, "tokentrail_viewer_sessions", "Open viewer login sessions.");
        b.append("tokentrail_viewer_sessions ").append(sessions).append('\n');
        gauge(b, "tokentrail_viewer_tail_clients", "Browsers following the live tail.");
        b.append("tokentrail_viewer_tail_clients ").append(tailClients).append('\n');
        b.append("# HELP tokentrail_viewer_tail_skipped_total Records the live tail counted instead of sending"
                + " (more than its per-poll cap arrived); browsers were told how many.\n");
        b.append("# TYPE tokentrail_viewer_tail_skipped_total counter\n");
        b.append("tokentrail_viewer_tail_skipped_total ").append(tailSkipped).append('\n');
        gauge(b, "tokentrail_findings", "Findings stored in the shards, by rule.");
        findingsByRule.forEach((rule, n) ->
                b.append("tokentrail_findings{rule=\"").append(esc(rule)).append("\"} ").append(n).append('\n'));
        findingsCounters.forEach((name, n) -> {
            String metric = "tokentrail_viewer_findings_" + name + "_total";
            b.append("# HELP ").append(metric).append(" Findings task counter since the viewer started.\n");
            b.append("# TYPE ").append(metric).append(" counter\n");
            b.append(metric).append(' ').append(n).append('\n');
        });
        b.append("# HELP tokentrail_viewer_audit_dropped_total Audit entries the viewer shard refused (queue full).\n");
        b.append("# TYPE tokentrail_viewer_audit_dropped_total counter\n");
        b.append("tokentrail_viewer_audit_dropped_total ").append(auditDropped).append('\n');
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
    }

    private static String labels(ShardInfo s) {
        return "{component=\"" + esc(s.component()) + "\",node=\"" + esc(s.node()) + "\"}";
    }

    static String esc(String v) {
        return v == null ? "" : v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
