package dev.tokentrail.index.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.Fixtures;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.model.TokenEventType;
import dev.tokentrail.index.store.ShardConfig;
import dev.tokentrail.index.store.ShardWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanTest {

    @TempDir
    Path root;

    @Test
    void scanStreamsEveryRecordOnceInTimeOrderAcrossPageBoundariesAndShards() {
        try (ShardWriter a = ShardWriter.open(ShardConfig.of(root, "gateway", "a"));
             ShardWriter b = ShardWriter.open(ShardConfig.of(root, "keycloak", "b"))) {
            // Bursts of identical timestamps straddle the 1,000-record pages.
            for (int i = 0; i < 2_500; i++) {
                Instant t = Fixtures.T0.plusMillis(i / 7);
                if (i % 5 == 0) {
                    b.offer(Fixtures.event(String.format("e%05d", i), t, TokenEventType.INTROSPECTED, "INTROSPECT_TOKEN",
                            "u", "S", "A", null, null));
                } else {
                    a.offer(Fixtures.exchange(String.format("x%05d", i), t, null, 200, "/p"));
                }
            }
            a.commitNow(Duration.ofSeconds(30));
            b.commitNow(Duration.ofSeconds(30));
        }
        try (ReplayReader reader = ReplayReader.open(root)) {
            List<ReplayRecord> seen = new ArrayList<>();
            long n = reader.scan(Fixtures.T0, Fixtures.T0.plusSeconds(10), seen::add);
            assertThat(n).isEqualTo(2_500);
            assertThat(seen).extracting(ReplayRecord::id).doesNotHaveDuplicates().hasSize(2_500);
            for (int i = 1; i < seen.size(); i++) {
                assertThat(seen.get(i).time()).isAfterOrEqualTo(seen.get(i - 1).time());
            }
            // the upper bound is exclusive, the lower inclusive
            List<ReplayRecord> window = new ArrayList<>();
            reader.scan(Fixtures.T0.plusMillis(100), Fixtures.T0.plusMillis(200), window::add);
            assertThat(window).hasSize(700).allMatch(r -> !r.time().isBefore(Fixtures.T0.plusMillis(100))
                    && r.time().isBefore(Fixtures.T0.plusMillis(200)));
        }
    }
}
