package dev.tokentrail.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.Fixtures;
import dev.tokentrail.index.query.ReplayReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up under the writer: the host (Keycloak, the gateway) never sees an
 * exception, the loss is counted, what was committed before stays intact, and writing resumes
 * once space is back.
 */
class FullDiskTest {

    @TempDir
    Path root;

    /** Every new file write fails with ENOSPC while {@code full} is set. */
    static final class FillableDirectory extends FilterDirectory {
        final AtomicBoolean full;

        FillableDirectory(Directory in, AtomicBoolean full) {
            super(in);
            this.full = full;
        }

        @Override
        public IndexOutput createOutput(String name, IOContext context) throws IOException {
            check();
            return new Output(in.createOutput(name, context));
        }

        @Override
        public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
            check();
            return new Output(in.createTempOutput(prefix, suffix, context));
        }

        void check() throws IOException {
            if (full.get()) {
                throw new IOException("No space left on device");
            }
        }

        final class Output extends IndexOutput {
            final IndexOutput out;

            Output(IndexOutput out) {
                super("fillable(" + out + ")", out.getName());
                this.out = out;
            }

            @Override
            public void writeByte(byte b) throws IOException {
                check();
                out.writeByte(b);
            }

            @Override
            public void writeBytes(byte[] b, int offset, int length) throws IOException {
                check();
                out.writeBytes(b, offset, length);
            }

            @Override
            public long getFilePointer() {
                return out.getFilePointer();
            }

            @Override
            public long getChecksum() throws IOException {
                return out.getChecksum();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        }
    }

    @Test
    void aFullDiskCostsRecordsButNeverTheHostOrTheCommittedShard() throws Exception {
        AtomicBoolean full = new AtomicBoolean();
        ShardConfig config = ShardConfig.of(root, "gateway", "gw").withCommitInterval(Duration.ofMillis(100));
        ShardWriter w = ShardWriter.open(config, p -> new FillableDirectory(FSDirectory.open(p), full));
        for (int i = 0; i < 100; i++) {
            w.offer(Fixtures.exchange("before" + i, Fixtures.T0.plusMillis(i), null, 200, "/a"));
        }
        assertThat(w.commitNow(Duration.ofSeconds(10))).isTrue();

        full.set(true);
        for (int i = 0; i < 3_000; i++) {
            // The caller's side never throws and never blocks, full disk or not.
            w.offer(Fixtures.exchange("during" + i, Fixtures.T0.plusSeconds(1).plusMillis(i), null, 200, "/a"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> w.stats().lastError() != null && w.stats().queueDepth() == 0);
        assertThat(w.stats().lastError()).contains("No space left on device");

        full.set(false);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            w.offer(Fixtures.exchange("after", Fixtures.T0.plusSeconds(10), null, 200, "/a"));
            return w.commitNow(Duration.ofSeconds(5));
        });
        w.close();
        WriterStats s = w.stats();
        assertThat(s.indexed() + s.dropped() + s.failed()).isEqualTo(s.offered());
        assertThat(s.failed()).isPositive();

        try (var dir = FSDirectory.open(config.directory()); CheckIndex check = new CheckIndex(dir)) {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            check.setInfoStream(new PrintStream(log, true, StandardCharsets.UTF_8));
            assertThat(check.checkIndex().clean).as(log.toString(StandardCharsets.UTF_8)).isTrue();
        }
        try (ReplayReader reader = ReplayReader.open(root)) {
            for (int i = 0; i < 100; i++) {
                assertThat(reader.record("before" + i)).isPresent();
            }
            assertThat(reader.record("after")).isPresent();
        }
    }
}
