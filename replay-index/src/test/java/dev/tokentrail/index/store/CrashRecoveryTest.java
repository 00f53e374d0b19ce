package dev.tokentrail.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.Fixtures;
import dev.tokentrail.index.query.PageRequest;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.query.SearchQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer in another JVM, read live from this one, then killed: what was committed survives
 * intact. The gateway or Keycloak can die at any moment; the evidence must not.
 *
 * <p>The timeouts only stop a hung child from hanging the build (reading its output blocks); they
 * are generous and assert nothing about speed.
 */
class CrashRecoveryTest {

    @TempDir
    Path root;

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sigkillMidStreamKeepsEveryCommittedRecordInACleanShardThatReopensForWriting() throws Exception {
        Path shard = WriterProcess.config(root).directory();
        long committed;
        BitSet refused;
        try (WriterProcess.Child child = WriterProcess.Child.start(root);
             ReplayReader reader = ReplayReader.open(root)) {
            child.awaitCommitted(1_000);
            // Read the live shard from this JVM while the other one keeps writing.
            reader.refresh();
            long seenLive = reader.search(new SearchQuery(null, Map.of(), null, null, true), PageRequest.first(1))
                    .totalHits();
            assertThat(seenLive).isGreaterThanOrEqualTo(1_000);
            assertThat(reader.record("r0")).isPresent();

            child.awaitCommitted(6_000);
            assertThat(child.kill()).as("killed by SIGKILL").isEqualTo(137);
            // kill() read every COMMITTED line the child printed before it died: all of them are
            // commits that returned before the kill, so the claim below covers the most we know of.
            committed = child.committed();
            refused = child.dropped();
        }

        ShardContents.assertCheckIndexClean(shard);
        // Every record reported committed, minus any the writer refused on offer (those were never
        // accepted, so never committed), checked one by one: a sample would miss a lost batch.
        BitSet expected = ShardContents.range(committed);
        expected.andNot(refused);
        ShardContents afterKill = ShardContents.read(shard);
        assertThat(afterKill.missing(expected)).as("records committed before the kill but absent").isEmpty();
        assertThat(afterKill.duplicates()).as("a record indexed twice").isEmpty();
        assertThat(afterKill.others()).as("ids the child never wrote").isEmpty();

        // The dead process's lock does not block the next writer on this shard, which appends to
        // what is there and commits.
        try (ShardWriter next = ShardWriter.open(WriterProcess.config(root))) {
            assertThat(next.offer(Fixtures.exchange("after", Fixtures.T0, null, 200, "/"))).isTrue();
            assertThat(next.commitNow(Duration.ofSeconds(30))).isTrue();
        }
        ShardContents.assertCheckIndexClean(shard);
        ShardContents reopened = ShardContents.read(shard);
        assertThat(reopened.others()).containsExactly("after");
        assertThat(reopened.numbered()).isEqualTo(afterKill.numbered());
    }

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void gracefulStopDropsNothingAndKeepsEveryOfferedRecord() throws Exception {
        WriterProcess.Closed closed;
        BitSet refused;
        try (WriterProcess.Child child = WriterProcess.Child.start(root)) {
            child.awaitCommitted(3_000);
            closed = child.stop();
            refused = child.dropped();
        }
        // offered = indexed + dropped + failed would also hold if the stop dropped the whole queue:
        // a graceful stop must drain it, so nothing is dropped or failed and all offered are indexed.
        assertThat(closed.dropped()).isZero();
        assertThat(refused.isEmpty()).as("the child saw no offer refused").isTrue();
        assertThat(closed.failed()).isZero();
        assertThat(closed.indexed()).isEqualTo(closed.offered());

        Path shard = WriterProcess.config(root).directory();
        ShardContents.assertCheckIndexClean(shard);
        // The producer offers r0, r1, ... in order, so "all offered" is exactly r0 .. r<offered-1>.
        ShardContents contents = ShardContents.read(shard);
        assertThat(contents.missing(ShardContents.range(closed.offered()))).as("offered records absent").isEmpty();
        assertThat((long) contents.docs()).isEqualTo(closed.offered());
        assertThat(contents.duplicates()).isEmpty();
        try (var dir = FSDirectory.open(shard); DirectoryReader r = DirectoryReader.open(dir)) {
            assertThat(r.getIndexCommit().getUserData())
                    .containsEntry("indexed", Long.toString(closed.offered()))
                    .containsEntry("dropped", "0");
        }
    }
}
