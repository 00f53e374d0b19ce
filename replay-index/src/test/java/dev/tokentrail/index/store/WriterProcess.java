package dev.tokentrail.index.store;

import dev.tokentrail.index.Fixtures;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A writer in its own JVM, as a Keycloak or gateway node would run it. Prints what is durable so
 * the test can check it after killing this process. Not a test itself.
 *
 * <p>Prints {@code COMMITTED <n>} once records 0..n-1 are committed, and on a graceful stop
 * {@code CLOSED <offered> <indexed> <dropped> <failed>}.
 */
public final class WriterProcess {

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        ShardWriter writer = ShardWriter.open(ShardConfig.of(root, "gateway", "child")
                .withCommitInterval(Duration.ofMillis(50)));
        java.util.concurrent.CountDownLatch producerStopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Stop producing first, so the counters printed below are quiescent.
            running = false;
            try {
                producerStopped.await(5, java.util.concurrent.TimeUnit.SECONDS);
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
            writer.offer(Fixtures.exchange("r" + i, Fixtures.T0.plusMillis(i), null, 200, "/orders/" + i));
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

    private static volatile boolean running = true;
}
