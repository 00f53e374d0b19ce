package dev.tokentrail.index.findings;

import dev.tokentrail.index.model.Finding;
import dev.tokentrail.index.query.ReplayReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns trails into findings. {@link #evaluate} runs every rule over a time range on demand;
 * {@link #evaluator()} gives a stateful evaluator for incremental use (feed it new records in
 * time order as they are committed).
 */
public final class FindingsEngine {

    private final FindingsConfig config;
    private final String node;

    public FindingsEngine(FindingsConfig config, String node) {
        this.config = Objects.requireNonNull(config, "config");
        this.node = node;
    }

    /** A fresh evaluator with empty state. */
    public Evaluator evaluator() {
        return new Evaluator(config, node);
    }

    /**
     * Findings whose triggering moment lies in {@code [from, to)}. Lifecycle state (logouts,
     * revocations, issuance) is rebuilt from {@link FindingsConfig#stateTtl()} before {@code from},
     * so a logout the day before still counts. Deterministic: the same data gives the same ids.
     */
    public List<Finding> evaluate(ReplayReader reader, Instant from, Instant to) {
        return evaluate(reader, from, to, evaluator());
    }

    /** As {@link #evaluate(ReplayReader, Instant, Instant)}, with an evaluator the caller can inspect after. */
    List<Finding> evaluate(ReplayReader reader, Instant from, Instant to, Evaluator evaluator) {
        List<Finding> out = new ArrayList<>();
        reader.scan(from.minus(config.stateTtl()), to, record -> {
            for (Finding f : evaluator.accept(record)) {
                if (!f.time().isBefore(from)) {
                    out.add(f);
                }
            }
        });
        return out;
    }

    public FindingsConfig config() {
        return config;
    }
}
