package dev.tokentrail.index.findings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Finding;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.store.ShardConfig;
import dev.tokentrail.index.store.ShardWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precision: normal behaviour at scale produces no finding. */
class BenignWorkloadTest {

    @Test
    void thousandsOfNormalSessionsProduceNoFinding() {
        List<ReplayRecord> records = BenignWorkload.generate(3_000, 1);
        Evaluator evaluator = new FindingsEngine(FindingsConfig.defaults(), "t").evaluator();
        List<Finding> findings = new ArrayList<>();
        records.forEach(r -> findings.addAll(evaluator.accept(r)));
        long exchanges = records.stream().filter(Exchange.class::isInstance).count();
        System.out.printf("benign workload: 3000 sessions, %d exchanges, %d records -> %d findings%n", exchanges,
                records.size(), findings.size());
        assertThat(exchanges).isGreaterThan(50_000);
        assertThat(findings).isEmpty();
    }

    @Test
    void theSameWorkloadThroughRealShardsProducesNoFinding(@TempDir Path root) {
        List<ReplayRecord> records = BenignWorkload.generate(100, 2);
        long exchanges = records.stream().filter(Exchange.class::isInstance).count();
        assertThat(exchanges).isPositive().isLessThan(records.size()); // both shards get records
        try (ShardWriter idp = ShardWriter.open(ShardConfig.of(root, "keycloak", "kc"));
             ShardWriter gw = ShardWriter.open(ShardConfig.of(root, "gateway", "gw"))) {
            records.forEach(r -> assertThat((r instanceof Exchange ? gw : idp).offer(r)).as(r.id()).isTrue());
            assertThat(idp.commitNow(Duration.ofSeconds(30))).as("IdP shard committed").isTrue();
            assertThat(gw.commitNow(Duration.ofSeconds(30))).as("gateway shard committed").isTrue();
            assertThat(gw.stats().indexed()).isEqualTo(exchanges);
            assertThat(idp.stats().indexed()).isEqualTo(records.size() - exchanges);
        }
        try (ReplayReader reader = ReplayReader.open(root)) {
            FindingsEngine engine = new FindingsEngine(FindingsConfig.defaults(), "t");
            Evaluator evaluator = engine.evaluator();
            List<Finding> findings = engine.evaluate(reader, BenignWorkload.START.minusSeconds(3600),
                    BenignWorkload.START.plus(Duration.ofDays(1)), evaluator);
            // No finding means something only if the rules saw every record, read back from disk.
            assertThat(evaluator.accepted()).isEqualTo(records.size());
            assertThat(findings).isEmpty();
        }
    }

    @Test
    void theRulesAreNotBlindOnThatWorkload() {
        // Guard against a precision test that passes because nothing could ever fire: one replay after logout.
        List<ReplayRecord> records = new ArrayList<>(BenignWorkload.generate(50, 3));
        Exchange last = records.stream().filter(Exchange.class::isInstance).map(Exchange.class::cast)
                .reduce((a, b) -> b).orElseThrow();
        records.add(Exchange.builder("stolen", last.time().plus(Duration.ofHours(12))).status(200).peer("203.0.113.66")
                .tokens(last.tokens()).build());
        Evaluator evaluator = new FindingsEngine(FindingsConfig.defaults(), "t").evaluator();
        List<String> rules = new ArrayList<>();
        records.forEach(r -> evaluator.accept(r).forEach(f -> rules.add(f.rule())));
        assertThat(rules).contains("USE_AFTER_LOGOUT");
    }
}
