package dev.tokentrail.gateway;

import dev.tokentrail.gateway.configuration.TokentrailCapturePolicyConfiguration;
import dev.tokentrail.index.model.ReplayRecord;
import io.gravitee.gateway.reactive.api.context.http.HttpPlainExecutionContext;
import io.gravitee.gateway.reactive.api.policy.http.HttpPolicy;
import io.reactivex.rxjava3.core.Completable;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tokentrail Capture: records each exchange of an API (or of every API, in an organization flow)
 * as a masked {@code Exchange} in the node's replay-index shard.
 *
 * <p>Request phase: snapshots the request line and headers and taps the request body. Response
 * phase: taps the response body; when the response stream ends (completes, fails or is
 * cancelled, 204 and HEAD included) the capture is masked and offered to the node's writer queue.
 * Bodies are observed with {@code doOnNext} on the chunk flowables, never through
 * {@code body()}/{@code onBody()}/{@code onChunks()}, which would buffer them and delay streams.
 *
 * <p>Every step is wrapped: if capturing fails, the failure is logged (rate-limited) and the
 * request goes on exactly as if the policy were not there.
 */
public class TokentrailCapturePolicy implements HttpPolicy {

    static final String ID = "tokentrail-capture";
    private static final Logger LOG = LoggerFactory.getLogger(TokentrailCapturePolicy.class);
    private static final RateLimitedLog FAILURES = new RateLimitedLog(LOG, Duration.ofSeconds(30));

    private final TokentrailCapturePolicyConfiguration configuration;

    public TokentrailCapturePolicy(TokentrailCapturePolicyConfiguration configuration) {
        this.configuration = configuration == null ? TokentrailCapturePolicyConfiguration.defaults() : configuration;
        // Starts opening the node's shard in the background if nobody has yet; never blocks.
        NodeRecorder.get();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Completable onRequest(HttpPlainExecutionContext ctx) {
        return Completable.fromRunnable(() -> {
            try {
                start(ctx);
            } catch (Throwable t) {
                FAILURES.warn("Tokentrail capture failed in the request phase; the request is not affected", t);
            }
        });
    }

    @Override
    public Completable onResponse(HttpPlainExecutionContext ctx) {
        return Completable.fromRunnable(() -> {
            try {
                tapResponse(ctx);
            } catch (Throwable t) {
                FAILURES.warn("Tokentrail capture failed in the response phase; the response is not affected", t);
            }
        });
    }

    private Capture start(HttpPlainExecutionContext ctx) {
        if (!NodeRecorder.get().enabled() || ctx.getInternalAttribute(Capture.ATTRIBUTE) != null) {
            return null; // disabled node, or already captured by another step (e.g. organization + API flow)
        }
        if (configuration.skips(ctx.request().path()) || configuration.skips(pathOf(ctx))) {
            return null;
        }
        boolean sampled = configuration.samplingPercentage() >= 100
                || ThreadLocalRandom.current().nextInt(100) < configuration.samplingPercentage();
        Capture capture = new Capture(ctx, configuration, sampled);
        ctx.setInternalAttribute(Capture.ATTRIBUTE, capture);
        ctx.request().chunks(ctx.request().chunks().doOnNext(chunk -> {
            try {
                capture.requestBody.accept(chunk);
            } catch (Throwable t) {
                FAILURES.warn("Tokentrail could not copy a request chunk; the request is not affected", t);
            }
        }));
        return capture;
    }

    private void tapResponse(HttpPlainExecutionContext ctx) {
        Object existing = ctx.getInternalAttribute(Capture.ATTRIBUTE);
        Capture capture;
        if (existing instanceof Capture c) {
            capture = c;
        } else if (existing == null) {
            // Only a response step: the request is captured as it looks now, without its body.
            capture = start(ctx);
            if (capture == null) {
                return;
            }
        } else {
            return;
        }
        if (capture.isResponseTapped()) {
            return; // a second response step (organization and API flow both): one tap is enough
        }
        capture.markResponseTapped();
        ctx.response().chunks(ctx.response().chunks()
                .doOnNext(chunk -> {
                    try {
                        capture.responseBody.accept(chunk);
                    } catch (Throwable t) {
                        FAILURES.warn("Tokentrail could not copy a response chunk; the response is not affected", t);
                    }
                })
                .doFinally(() -> handOff(ctx, capture)));
    }

    private void handOff(HttpPlainExecutionContext ctx, Capture capture) {
        try {
            if (!capture.markFinished()) {
                return;
            }
            Function<NodeRecorder.Ready, ReplayRecord> build = capture.finish(ctx);
            NodeRecorder recorder = NodeRecorder.get();
            if (build == null) {
                recorder.countNotSampled();
                return;
            }
            recorder.submit(build);
        } catch (Throwable t) {
            FAILURES.warn("Tokentrail could not hand a capture over; the response is not affected", t);
        }
    }

    private static String pathOf(HttpPlainExecutionContext ctx) {
        String uri = ctx.request().uri();
        if (uri == null) {
            return null;
        }
        int q = uri.indexOf('?');
        return q >= 0 ? uri.substring(0, q) : uri;
    }
}
