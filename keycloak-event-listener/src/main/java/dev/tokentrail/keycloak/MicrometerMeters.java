package dev.tokentrail.keycloak;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Registers the counters in Micrometer's global registry, which Keycloak's Quarkus runtime
 * feeds into {@code /metrics} on the management port ({@code --metrics-enabled=true}). Only
 * touched through {@link ListenerMetrics}, so a server without Micrometer never loads it.
 */
final class MicrometerMeters {

    private MicrometerMeters() {
    }

    static AutoCloseable bind(Recorder r) {
        MeterRegistry registry = Metrics.globalRegistry;
        Tags tags = Tags.of("node", r.config().node());
        List<Meter> meters = new ArrayList<>();
        counter(meters, registry, "tokentrail.events.offered", "Events handed to the shard writer", tags, r,
                x -> x.stats().offered());
        counter(meters, registry, "tokentrail.events.indexed", "Events written to the shard", tags, r,
                x -> x.stats().indexed());
        counter(meters, registry, "tokentrail.events.dropped", "Events dropped: writer queue full or closed", tags, r,
                x -> x.stats().dropped());
        counter(meters, registry, "tokentrail.events.failed", "Events lost to an indexing error", tags, r,
                x -> x.stats().failed());
        counter(meters, registry, "tokentrail.events.rolled.back",
                "Events not recorded because Keycloak rolled the request back", tags, r, x -> x.rolledBack.sum());
        counter(meters, registry, "tokentrail.listener.errors", "Failures inside the listener (events lost)", tags, r,
                x -> x.listenerErrors.sum());
        counter(meters, registry, "tokentrail.commits", "Shard commits", tags, r, x -> x.stats().commits());
        meters.add(Gauge.builder("tokentrail.queue.depth", r, x -> x.stats().queueDepth())
                .description("Events waiting for the writer").tags(tags).register(registry));
        meters.add(Gauge.builder("tokentrail.commit.latency.last", r,
                        x -> x.stats().lastCommitLatency().toNanos() / 1e9)
                .description("Duration of the last shard commit").baseUnit("seconds").tags(tags).register(registry));
        return () -> meters.forEach(registry::remove);
    }

    private static void counter(List<Meter> meters, MeterRegistry registry, String name, String help, Tags tags,
                                Recorder r, ToDoubleFunction<Recorder> f) {
        meters.add(FunctionCounter.builder(name, r, f).description(help).tags(tags).register(registry));
    }
}
