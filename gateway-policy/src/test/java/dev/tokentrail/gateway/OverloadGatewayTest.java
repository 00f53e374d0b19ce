package dev.tokentrail.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokentrail.index.store.ShardConfig;
import dev.tokentrail.index.store.ShardWriter;
import dev.tokentrail.index.store.WriterStats;
import io.gravitee.apim.gateway.tests.sdk.annotations.DeployApi;
import io.gravitee.apim.gateway.tests.sdk.annotations.GatewayTest;
import io.reactivex.rxjava3.core.Flowable;
import io.vertx.core.http.HttpMethod;
import io.vertx.rxjava3.core.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A writer that cannot keep up (two queue slots, a pause before every batch) must cost requests
 * nothing: each completes with its normal status, and every capture is accounted for as either
 * indexed or dropped.
 */
@GatewayTest
@DeployApi({"/apis/capture.json", "/apis/plain.json"})
class OverloadGatewayTest extends CaptureGatewayTestBase {

    private static final int REQUESTS = 80;
    private static final Duration PAUSE = Duration.ofMillis(400);

    @BeforeAll
    static void aTinyQueueAndASlowWriter() {
        ShardConfig slow = ShardConfig.of(dataRoot().resolveSibling("surefire-overload"), NodeRecorder.COMPONENT, "overload")
                .withQueueCapacity(2)
                .withCommitInterval(Duration.ofMillis(200))
                .withIndexingPause(PAUSE);
        NodeRecorder.replaceForTests(slow);
        assertThat(NodeRecorder.get().awaitWriter(Duration.ofSeconds(20))).as("slow writer open").isNotNull();
    }

    @AfterAll
    static void theNodeWriterAgain() {
        NodeRecorder.replaceForTests(NodeRecorder.shardConfig(NodeSettings.fromEnvironment()));
    }

    private static List<Long> flood(HttpClient client, String path) {
        return Flowable.range(0, REQUESTS)
                .flatMapSingle(i -> {
                    long t0 = System.nanoTime();
                    return client.rxRequest(HttpMethod.GET, path + "?i=" + i)
                            .flatMap(req -> req.putHeader("Authorization", "Bearer " + TestTokens.BOB_JWT).rxSend())
                            .flatMap(res -> res.rxBody().map(b -> {
                                assertThat(res.statusCode()).isEqualTo(200);
                                assertThat(b.toString()).isEqualTo("{\"ok\":true}");
                                return (System.nanoTime() - t0) / 1_000_000;
                            }));
                }, false, 16)
                .toList()
                .blockingGet();
    }

    private static long percentile(List<Long> values, double p) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.min(sorted.size() - 1, Math.round(p * (sorted.size() - 1))));
    }

    @Test
    void every_request_completes_normally_and_every_capture_is_indexed_or_dropped(HttpClient client) {
        wiremock.stubFor(get(urlPathEqualTo("/backend/busy")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"ok\":true}")));
        NodeRecorder recorder = NodeRecorder.get();
        long submittedBefore = recorder.stats().submitted();

        flood(client, "/plain/busy"); // warm-up: connections, JIT, backend
        List<Long> baseline = flood(client, "/plain/busy");
        long start = System.nanoTime();
        List<Long> latenciesMillis = flood(client, "/capture/busy");
        long wallMillis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("overload: baseline %s%noverload: with slow writer %s%n", baseline.stream().sorted().toList(),
                latenciesMillis.stream().sorted().toList());

        assertThat(latenciesMillis).hasSize(REQUESTS);
        ShardWriter writer = recorder.awaitWriter(Duration.ofSeconds(1));
        // Indexing everything at one batch of two per pause would take this long; requests did not wait for it.
        long writerBoundMillis = (long) REQUESTS / 2 * PAUSE.toMillis();
        assertThat(wallMillis).as("all %d requests, %d ms", REQUESTS, wallMillis).isLessThan(writerBoundMillis);
        // Loose on purpose (shared CI machines): no request waits for the writer's pauses.
        assertThat(percentile(latenciesMillis, 0.5)).isLessThan(percentile(baseline, 0.5) + PAUSE.toMillis());
        assertThat(java.util.Collections.max(latenciesMillis)).isLessThan(java.util.Collections.max(baseline) + 5 * PAUSE.toMillis());

        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.stats().submitted() - submittedBefore == REQUESTS);
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.stats().handoffDepth() == 0
                && writer.stats().queueDepth() == 0);
        assertThat(writer.commitNow(Duration.ofSeconds(20))).isTrue();

        NodeRecorder.Stats node = recorder.stats();
        WriterStats w = writer.stats();
        assertThat(w.dropped() + node.droppedNotReady()).as("the writer could not keep up: captures dropped").isPositive();
        assertThat(w.indexed()).isPositive();
        assertThat(w.offered()).isEqualTo(w.indexed() + w.dropped() + w.failed());
        assertThat(node.submitted()).isEqualTo(w.offered() + node.droppedNotReady() + node.buildFailures());
    }
}
