package dev.tokentrail.index.store;

import static dev.tokentrail.index.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokentrail.index.Fixtures;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import dev.tokentrail.index.query.PageRequest;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.query.SearchQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ShardWriterTest {

    @TempDir
    Path root;

    @Test
    void recordsBecomeReadableAfterCommitAndRoundTripExactly() {
        Exchange x = Fixtures.exchange("r1", T0, Fixtures.identity("onrtro:a1", "S1", "u1", "fp1"), 200, "/orders");
        TokenEvent e = Fixtures.event("e1", T0.minusSeconds(1), TokenEventType.ISSUED, "LOGIN", "u1", "S1",
                "onrtro:a1", "R1", null);
        try (ShardWriter w = ShardWriter.open(ShardConfig.of(root, "gateway", "gw-1"));
             ReplayReader reader = ReplayReader.open(root)) {
            assertThat(w.offer(x)).isTrue();
            assertThat(w.offer(e)).isTrue();
            assertThat(w.commitNow(Duration.ofSeconds(10))).isTrue();
            reader.refresh();
            assertThat(reader.exchange("r1")).contains(x);
            assertThat(reader.record("e1")).contains(e);
            WriterStats s = w.stats();
            assertThat(s.offered()).isEqualTo(2);
            assertThat(s.indexed()).isEqualTo(2);
            assertThat(s.dropped()).isZero();
            assertThat(s.commits()).isPositive();
        }
    }

    @Test
    void secretNamedDetailsAreMaskedBeforeTheyCanBeStored() {
        TokenEvent e = Fixtures.event("e1", T0, TokenEventType.ISSUED, "LOGIN", "u1", "S1", "a", "r", null);
        assertThat(e.details()).containsEntry("client_secret", "«masked:client_secret»")
                .containsEntry("grant_type", "password");
    }

    @Test
    void periodicCommitMakesRecordsVisibleWithoutAnExplicitCommit() throws Exception {
        try (ShardWriter w = ShardWriter.open(ShardConfig.of(root, "gateway", "gw-1")
                .withCommitInterval(Duration.ofMillis(100)));
             ReplayReader reader = ReplayReader.open(root)) {
            w.offer(Fixtures.exchange("r1", T0, null, 200, "/a"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                reader.refresh();
                return reader.exchange("r1").isPresent();
            });
        }
    }

    @Test
    void fullQueueDropsAndCountsWithoutBlocking() {
        try (ShardWriter w = ShardWriter.open(ShardConfig.of(root, "gateway", "gw-1").withQueueCapacity(2)
                .withIndexingPause(Duration.ofMillis(300)))) {
            int accepted = 0;
            for (int i = 0; i < 50; i++) {
                if (w.offer(Fixtures.exchange("r" + i, T0.plusMillis(i), null, 200, "/a"))) {
                    accepted++;
                }
            }
            assertThat(accepted).isLessThan(50);
            w.close();
            WriterStats s = w.stats();
            assertThat(s.offered()).isEqualTo(50);
            assertThat(s.dropped()).isEqualTo(50 - accepted);
            assertThat(s.indexed() + s.dropped() + s.failed()).isEqualTo(s.offered());
        }
    }

    private static Exchange bigBodied(String id, int chars) {
        Exchange small = Fixtures.exchange(id, T0, null, 200, "/upload");
        return Exchange.builder(id, T0).method("POST").path("/upload").status(200).node("gw-1")
                .requestBody(new Body("x".repeat(chars), chars, false, "text/plain", null, Body.Form.TEXT))
                .requestHeaders(small.requestHeaders()).build();
    }

    @Test
    void aByteBudgetDropsBigRecordsAndStillAcceptsSmallOnes() throws Exception {
        try (ShardWriter w = ShardWriter.open(ShardConfig.of(root, "gateway", "gw-1").withQueueBytes(8 * 1024)
                .withIndexingPause(Duration.ofMillis(200)));
             ReplayReader reader = ReplayReader.open(root)) {
            for (int i = 0; i < 3; i++) {
                assertThat(w.offer(bigBodied("big" + i, 10_000))).as("a 10,000-character body").isFalse();
                assertThat(w.offer(Fixtures.exchange("small" + i, T0.plusMillis(i), null, 200, "/a")))
                        .as("a small exchange").isTrue();
            }
            assertThat(w.commitNow(Duration.ofSeconds(10))).isTrue();
            WriterStats s = w.stats();
            assertThat(s.offered()).isEqualTo(6);
            assertThat(s.dropped()).isEqualTo(3);
            assertThat(s.indexed()).isEqualTo(3);
            assertThat(s.indexed() + s.dropped() + s.failed()).isEqualTo(s.offered());
            reader.refresh();
            assertThat(reader.record("small2")).isPresent();
            assertThat(reader.record("big0")).isEmpty();
            // Indexed records give their budget back: a record that fits alone is accepted again.
            assertThat(w.offer(bigBodied("medium", 3_000))).isTrue();
        }
    }

    @Test
    void theByteBudgetBoundsTheQueueWhileTheWriterIsBehind() {
        ShardWriter w = ShardWriter.open(ShardConfig.of(root, "gateway", "gw-1").withQueueBytes(8 * 1024)
                .withIndexingPause(Duration.ofSeconds(1)));
        int accepted = 0;
        for (int i = 0; i < 50; i++) {
            if (w.offer(Fixtures.exchange("r" + i, T0.plusMillis(i), null, 200, "/a"))) {
                accepted++;
            }
        }
        assertThat(accepted).isPositive().isLessThan(50); // the count limit (65,536) is far away
        w.close();
        WriterStats s = w.stats();
        assertThat(s.offered()).isEqualTo(50);
        assertThat(s.dropped()).isEqualTo(50 - accepted);
        assertThat(s.indexed()).isEqualTo(accepted);
        assertThat(s.indexed() + s.dropped() + s.failed()).isEqualTo(s.offered());
    }

    @Test
    void aQueueByteBudgetMustBePositive() {
        assertThatThrownBy(() -> ShardConfig.of(root, "gateway", "gw-1").withQueueBytes(0))
                .hasMessageContaining("queueBytes");
        assertThat(ShardConfig.of(root, "gateway", "gw-1").queueBytes()).isEqualTo(64L * 1024 * 1024);
    }

    @Test
    void closeDrainsEverythingQueuedAndCommits() throws Exception {
        ShardWriter w = ShardWriter.open(ShardConfig.of(root, "gateway", "gw-1")
                .withCommitInterval(Duration.ofHours(1)));
        for (int i = 0; i < 5_000; i++) {
            w.offer(Fixtures.exchange("r" + i, T0.plusMillis(i), null, 200, "/a"));
        }
        w.close();
        try (var dir = FSDirectory.open(w.directory()); var r = DirectoryReader.open(dir)) {
            assertThat(r.numDocs()).isEqualTo(5_000);
            Map<String, String> data = r.getIndexCommit().getUserData();
            assertThat(data).containsEntry("indexed", "5000").containsEntry("dropped", "0")
                    .containsEntry("component", "gateway").containsEntry("node", "gw-1");
        }
        assertThat(w.offer(Fixtures.exchange("late", T0, null, 200, "/a"))).isFalse();
        assertThat(w.stats().dropped()).isEqualTo(1);
    }

    @Test
    void aSecondWriterOnTheSameShardFailsNamingTheDirectory() {
        ShardConfig config = ShardConfig.of(root, "keycloak", "kc-1");
        try (ShardWriter first = ShardWriter.open(config)) {
            assertThatThrownBy(() -> ShardWriter.open(config))
                    .isInstanceOf(ShardLockedException.class)
                    .hasMessageContaining(config.directory().toString())
                    .hasMessageContaining("node name");
        }
    }

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung child must not hang the build
    void aShardHeldByAnotherLiveProcessFailsNamingTheDirectoryAndThatProcessLosesNothing() throws Exception {
        // The in-JVM case above is caught by Lucene's own bookkeeping; across processes only the
        // OS file lock on write.lock stands between two writers, which is what real nodes share.
        ShardConfig config = WriterProcess.config(root);
        WriterProcess.Closed closed;
        try (WriterProcess.Child child = WriterProcess.Child.start(root)) {
            child.awaitCommitted(1_000);
            long before = child.committed();
            assertThatThrownBy(() -> ShardWriter.open(config))
                    .isInstanceOfSatisfying(ShardLockedException.class,
                            e -> assertThat(e.directory()).isEqualTo(config.directory()))
                    .hasMessageContaining(config.directory().toString())
                    .hasMessageContaining("node name");
            // The refused attempt must not disturb the holder: it keeps committing, then stops
            // with every record it was offered indexed.
            child.awaitCommitted(before + 1_000);
            closed = child.stop();
            assertThat(child.dropped().isEmpty()).isTrue();
        }
        assertThat(closed.failed()).isZero();
        assertThat(closed.dropped()).isZero();
        assertThat(closed.indexed()).isEqualTo(closed.offered());
        ShardContents.assertCheckIndexClean(config.directory());
        ShardContents contents = ShardContents.read(config.directory());
        assertThat(contents.missing(ShardContents.range(closed.offered()))).isEmpty();
        assertThat((long) contents.docs()).isEqualTo(closed.offered());
    }

    @Test
    void anUnwritableDataRootFailsWithAClearMessage() throws Exception {
        Path file = Files.writeString(root.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> ShardWriter.open(ShardConfig.of(file, "gateway", "gw-1")))
                .hasMessageContaining(file.toString());
    }

    @Test
    void nodeNamesCannotEscapeTheDataRoot() {
        ShardConfig c = ShardConfig.of(root, "gateway", "../../etc");
        assertThat(c.directory().normalize().startsWith(root)).isTrue();
        assertThat(c.directory().getFileName().toString()).isEqualTo("gateway-_._.._etc");
    }

    @Test
    void retentionDeletesRecordsOlderThanTheMaximumAge() throws Exception {
        Instant now = Instant.now();
        try (ShardWriter w = ShardWriter.open(ShardConfig.of(root, "gateway", "gw-1")
                .withRetention(Duration.ofDays(1), 0))) {
            w.offer(Fixtures.exchange("old", now.minus(Duration.ofDays(3)), null, 200, "/a"));
            w.offer(Fixtures.exchange("new", now.minusSeconds(5), null, 200, "/a"));
            w.commitNow(Duration.ofSeconds(10));
            w.applyRetentionNow();
            w.commitNow(Duration.ofSeconds(10));
        }
        try (ReplayReader reader = ReplayReader.open(root)) {
            assertThat(reader.record("old")).isEmpty();
            assertThat(reader.record("new")).isPresent();
        }
    }

    @Test
    void retentionRunsInTheBackgroundWithoutBeingAsked() throws Exception {
        Instant now = Instant.now();
        try (ShardWriter w = ShardWriter.open(ShardConfig.of(root, "gateway", "gw-1")
                .withRetention(Duration.ofDays(1), 0)
                .withRetentionInterval(Duration.ofMillis(200))
                .withCommitInterval(Duration.ofMillis(100)));
             ReplayReader reader = ReplayReader.open(root)) {
            assertThat(w.offer(Fixtures.exchange("old", now.minus(Duration.ofDays(3)), null, 200, "/a"))).isTrue();
            assertThat(w.offer(Fixtures.exchange("new", now.minusSeconds(5), null, 200, "/a"))).isTrue();
            assertThat(w.commitNow(Duration.ofSeconds(10))).isTrue();
            assertThat(w.stats().indexed()).isEqualTo(2); // so "old" vanishing below is retention, not a drop
            // No applyRetentionNow: only the writer thread's own pass (and its periodic commit) can
            // delete "old". A generous bound, not a timing claim.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                reader.refresh();
                return reader.record("old").isEmpty();
            });
            assertThat(reader.record("new")).isPresent();
        }
    }

    @Test
    void theRetentionIntervalDefaultsToOneMinuteAndMustBePositive() {
        assertThat(ShardConfig.of(root, "gateway", "gw-1").retentionInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> ShardConfig.of(root, "gateway", "gw-1").withRetentionInterval(Duration.ZERO))
                .hasMessageContaining("retentionInterval");
    }

    private static final long CAP = 100_000;

    /** A shard of 4,000 small exchanges, r0 oldest, committed: well above {@link #CAP} on disk. */
    private ShardWriter filledAboveTheCap() throws Exception {
        // Commits every 100 ms so that the space freed by merging trimmed records away is
        // committed (and the old files deleted) without anyone asking.
        ShardWriter w = ShardWriter.open(ShardConfig.of(root, "gateway", "gw-1")
                .withRetention(null, CAP).withCommitInterval(Duration.ofMillis(100)));
        for (int i = 0; i < 4_000; i++) {
            assertThat(w.offer(Fixtures.exchange("r" + i, T0.plusSeconds(i), null, 200, "/orders/" + i))).isTrue();
        }
        assertThat(w.commitNow(Duration.ofSeconds(30))).isTrue();
        assertThat(ShardContents.bytesOnDisk(w.directory())).isGreaterThan(CAP);
        return w;
    }

    @Test
    void retentionTrimsTheOldestRecordsUntilTheShardFitsItsSizeCapOnDisk() throws Exception {
        Path shard;
        try (ShardWriter w = filledAboveTheCap()) {
            shard = w.directory();
            assertThat(w.applyRetentionNow()).isTrue();
            // Deleted records leave the disk only once Lucene has merged them away and a later
            // commit has released the old segment files; the writer does both in the background.
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> ShardContents.bytesOnDisk(shard) <= CAP);
        }
        assertThat(ShardContents.bytesOnDisk(shard)).isLessThanOrEqualTo(CAP); // close() adds no growth
        // Oldest first: what survives is exactly the newest records, an unbroken run up to r3999.
        ShardContents left = ShardContents.read(shard);
        int oldestKept = left.numbered().nextSetBit(0);
        assertThat(oldestKept).isPositive();
        assertThat(left.missing(rangeFrom(oldestKept, 4_000))).isEmpty();
        assertThat(left.docs()).isEqualTo(4_000 - oldestKept);
    }

    @Test
    void aRetentionPassRightAfterATrimDeletesNothingMore() throws Exception {
        // Right after a trim the directory still holds the segments being merged away, often more
        // than before the trim. Sizing by that listing made the next pass delete most of what the
        // first had kept; the cap is measured on the live records instead.
        try (ShardWriter w = filledAboveTheCap(); ReplayReader reader = ReplayReader.open(root)) {
            SearchQuery all = new SearchQuery(null, Map.of(), null, null, false);
            assertThat(w.applyRetentionNow()).isTrue();
            reader.refresh();
            long afterFirst = reader.search(all, PageRequest.first(1)).totalHits();
            assertThat(afterFirst).isLessThan(4_000);
            assertThat(w.applyRetentionNow()).isTrue();
            reader.refresh();
            assertThat(reader.search(all, PageRequest.first(1)).totalHits()).isEqualTo(afterFirst);
        }
    }

    private static BitSet rangeFrom(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to);
        return b;
    }
}
