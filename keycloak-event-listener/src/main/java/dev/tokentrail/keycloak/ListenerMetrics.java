package dev.tokentrail.keycloak;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * What an operator sees of the listener: the writer counters in the log every
 * {@code metrics-log-interval} and at shutdown, and the same counters as Micrometer meters on
 * Keycloak's metrics endpoint when Micrometer is there (Keycloak 26 ships it).
 */
final class ListenerMetrics implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ListenerMetrics.class);

    private final Recorder recorder;
    private final ScheduledExecutorService logger;
    private final AutoCloseable meters;

    private ListenerMetrics(Recorder recorder, ScheduledExecutorService logger, AutoCloseable meters) {
        this.recorder = recorder;
        this.logger = logger;
        this.meters = meters;
    }

    static ListenerMetrics start(Recorder recorder, Duration logInterval) {
        ScheduledExecutorService s = null;
        if (!logInterval.isZero()) {
            s = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                    .name("tokentrail-metrics-log").unstarted(r));
            long ms = logInterval.toMillis();
            s.scheduleAtFixedRate(() -> {
                try {
                    LOG.infof("Tokentrail: %s", recorder.summary());
                } catch (Throwable t) {
                    // a log line is not worth a dead scheduler
                }
            }, ms, ms, TimeUnit.MILLISECONDS);
        }
        AutoCloseable meters = () -> { };
        try {
            meters = MicrometerMeters.bind(recorder);
        } catch (LinkageError noMicrometer) {
            LOG.debug("Tokentrail: Micrometer not on the classpath; counters are logged only");
        } catch (RuntimeException e) {
            LOG.warnf(e, "Tokentrail: could not register Micrometer meters; counters are logged only");
        }
        return new ListenerMetrics(recorder, s, meters);
    }

    @Override
    public void close() {
        if (logger != null) {
            logger.shutdownNow();
        }
        try {
            meters.close();
        } catch (Exception ignored) {
            // shutting down anyway
        }
    }

    Recorder recorder() {
        return recorder;
    }
}
