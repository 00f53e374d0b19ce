package dev.tokentrail.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.query.PageRequest;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.query.SearchQuery;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer in another JVM, read live from this one, then killed: what was committed survives
 * intact. The gateway or Keycloak can die at any moment; the evidence must not.
 */
class CrashRecoveryTest {

    @TempDir
    Path root;

    private Process start() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                WriterProcess.class.getName(), root.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void sigkillMidStreamLosesNothingCommittedAndLeavesACleanIndex() throws Exception {
        Process child = start();
        AtomicLong committed = new AtomicLong();
        long seenLive = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
             ReplayReader reader = ReplayReader.open(root)) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("COMMITTED ")) {
                    committed.set(Long.parseLong(line.substring(10)));
                    if (seenLive == 0 && committed.get() >= 1_000) {
                        // Read the live shard from this JVM while the other one keeps writing.
                        reader.refresh();
                        seenLive = reader.search(new SearchQuery(null, Map.of(), null, null, true), PageRequest.first(1))
                                .totalHits();
                        assertThat(reader.record("r0")).isPresent();
                    }
                    if (committed.get() >= 6_000) {
                        break;
                    }
                }
            }
            assertThat(seenLive).isGreaterThanOrEqualTo(1_000);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no final commit
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).isEqualTo(137);

        Path shard = root.resolve("gateway-child");
        try (var dir = FSDirectory.open(shard)) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            try (CheckIndex check = new CheckIndex(dir)) {
                check.setInfoStream(new PrintStream(log, true, StandardCharsets.UTF_8));
                CheckIndex.Status status = check.checkIndex();
                assertThat(status.clean).as(log.toString(StandardCharsets.UTF_8)).isTrue();
            }
            try (DirectoryReader r = DirectoryReader.open(dir)) {
                assertThat((long) r.numDocs()).isGreaterThanOrEqualTo(committed.get());
            }
        }
        try (ReplayReader reader = ReplayReader.open(root)) {
            for (long i = 0; i < committed.get(); i += 97) {
                assertThat(reader.record("r" + i)).as("record r%d was committed before the kill", i).isPresent();
            }
            assertThat(reader.record("r" + (committed.get() - 1))).isPresent();
        }
        // The dead process's lock does not block the next writer on this shard.
        try (ShardWriter next = ShardWriter.open(ShardConfig.of(root, "gateway", "child"))) {
            assertThat(next.offer(dev.tokentrail.index.Fixtures.exchange("after", dev.tokentrail.index.Fixtures.T0,
                    null, 200, "/"))).isTrue();
        }
    }

    @Test
    void gracefulStopDrainsTheQueueAndLosesNothingAccepted() throws Exception {
        Process child = start();
        String closed = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("COMMITTED ") && Long.parseLong(line.substring(10)) >= 3_000) {
                    // SIGTERM through the handle: Process.destroy() would also close our end of its stdout.
                    child.toHandle().destroy();
                }
                if (line.startsWith("CLOSED ")) {
                    closed = line;
                }
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(closed).as("the child reported its counters on close").isNotNull();
        List<Long> c = java.util.Arrays.stream(closed.substring(7).split(" ")).map(Long::parseLong).toList();
        long offered = c.get(0), indexed = c.get(1), dropped = c.get(2), failed = c.get(3);
        assertThat(failed).isZero();
        assertThat(indexed + dropped).isEqualTo(offered);
        try (var dir = FSDirectory.open(root.resolve("gateway-child")); DirectoryReader r = DirectoryReader.open(dir)) {
            assertThat((long) r.numDocs()).isEqualTo(indexed);
            assertThat(r.getIndexCommit().getUserData()).containsEntry("indexed", Long.toString(indexed));
        }
    }
}
