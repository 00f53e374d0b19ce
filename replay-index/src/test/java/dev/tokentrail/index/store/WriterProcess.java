package dev.tokentrail.index.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.Fixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A writer in its own JVM, as a Keycloak or gateway node would run it. Prints what is durable so
 * the test can check it after killing this process. Not a test itself; {@link Child} is the test's
 * side of it.
 *
 * <p>Offers {@code r0, r1, ...} from one thread, in order, and prints:
 * <ul>
 *   <li>{@code READY} once the shard is open (and locked);
 *   <li>{@code DROPPED <i>} when the writer refused {@code r<i>} (never expected: the producer waits
 *       for a commit every 200 records, far below the queue's bounds, but a refusal must not pass
 *       for a loss);
 *   <li>{@code COMMITTED <n>} once every record of {@code r0..r<n-1>} not reported dropped is committed;
 *   <li>on a graceful stop (SIGTERM), {@code CLOSED <offered> <indexed> <dropped> <failed>}.
 * </ul>
 */
public final class WriterProcess {

    static final String COMPONENT = "gateway";
    static final String NODE = "child";

    private static volatile boolean running = true;

    /** The shard the harness writes under {@code root}. */
    static ShardConfig config(Path root) {
        return ShardConfig.of(root, COMPONENT, NODE);
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        ShardWriter writer = ShardWriter.open(config(root).withCommitInterval(Duration.ofMillis(50)));
        CountDownLatch producerStopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Stop producing first, so the counters printed below are quiescent.
            running = false;
            try {
                producerStopped.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writer.close();
            WriterStats s = writer.stats();
            System.out.println("CLOSED " + s.offered() + " " + s.indexed() + " " + s.dropped() + " " + s.failed());
            System.out.flush();
        }));
        System.out.println("READY");
        System.out.flush();
        for (int i = 0; running; i++) {
            if (!writer.offer(Fixtures.exchange("r" + i, Fixtures.T0.plusMillis(i), null, 200, "/orders/" + i))) {
                System.out.println("DROPPED " + i);
                System.out.flush();
            }
            if (i % 200 == 199) {
                if (writer.commitNow(Duration.ofSeconds(30))) {
                    System.out.println("COMMITTED " + (i + 1));
                    System.out.flush();
                }
            }
        }
        producerStopped.countDown();
        Thread.sleep(Long.MAX_VALUE); // the JVM is exiting; let the hook finish
    }

    /** The counters the child printed when it closed its writer gracefully. */
    record Closed(long offered, long indexed, long dropped, long failed) {
    }

    /** The test's side: starts {@link WriterProcess} in another JVM and follows what it prints. */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private long committed;
        private final BitSet dropped = new BitSet();
        private Closed closed;

        private Child(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Child start(Path root) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            return new Child(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    WriterProcess.class.getName(), root.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        /** Highest {@code n} the child reported as {@code COMMITTED n} so far. */
        long committed() {
            return committed;
        }

        /** Indexes of the records the child's writer refused. */
        BitSet dropped() {
            return (BitSet) dropped.clone();
        }

        /** Reads what the child printed until it reports at least {@code n} records committed. */
        void awaitCommitted(long n) {
            while (committed < n) {
                if (!readLine()) {
                    throw new AssertionError("the writer process ended before committing " + n + " records (it committed "
                            + committed + ")");
                }
            }
        }

        /**
         * SIGKILL: no shutdown hook, no close, no final commit. Then reads what the child printed
         * before it died (still in the pipe), so {@link #committed()} is the last commit it reported.
         */
        int kill() throws InterruptedException {
            // Through the handle: Process.destroyForcibly() would also close our end of its stdout.
            process.toHandle().destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the killed writer process exited").isTrue();
            while (readLine()) {
                // every line it managed to print counts
            }
            return process.exitValue();
        }

        /** SIGTERM: the shutdown hook stops producing, closes the writer and prints its counters. */
        Closed stop() throws InterruptedException {
            // Through the handle: Process.destroy() would also close our end of its stdout.
            process.toHandle().destroy();
            while (readLine()) {
                // up to CLOSED and the end of its output
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the writer process stopped").isTrue();
            assertThat(closed).as("the writer process reported its counters on close").isNotNull();
            return closed;
        }

        /** @return false at the end of the child's output */
        private boolean readLine() {
            String line;
            try {
                line = out.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (line == null) {
                return false;
            }
            if (line.startsWith("COMMITTED ")) {
                committed = Long.parseLong(line.substring("COMMITTED ".length()));
            } else if (line.startsWith("DROPPED ")) {
                dropped.set(Integer.parseInt(line.substring("DROPPED ".length())));
            } else if (line.startsWith("CLOSED ")) {
                String[] c = line.substring("CLOSED ".length()).split(" ");
                closed = new Closed(Long.parseLong(c[0]), Long.parseLong(c[1]), Long.parseLong(c[2]),
                        Long.parseLong(c[3]));
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            out.close();
        }
    }
}
