package dev.tokentrail.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.gateway.configuration.TokentrailCapturePolicyConfiguration;
import io.gravitee.apim.gateway.tests.sdk.AbstractPolicyTest;
import io.gravitee.apim.gateway.tests.sdk.annotations.DeployApi;
import io.gravitee.apim.gateway.tests.sdk.annotations.GatewayTest;
import io.gravitee.apim.gateway.tests.sdk.connector.EndpointBuilder;
import io.gravitee.apim.gateway.tests.sdk.connector.EntrypointBuilder;
import io.gravitee.apim.gateway.tests.sdk.parameters.GatewayDynamicConfig;
import io.gravitee.plugin.endpoint.EndpointConnectorPlugin;
import io.gravitee.plugin.endpoint.http.proxy.HttpProxyEndpointConnectorFactory;
import io.gravitee.plugin.entrypoint.EntrypointConnectorPlugin;
import io.gravitee.plugin.entrypoint.http.proxy.HttpProxyEntrypointConnectorFactory;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (profile {@code -Pbench}): throughput and latency through the same
 * in-process gateway with and without the policy, 1 KiB JSON request and response, a real load
 * generator ({@code wrk}, Debian package {@code wrk}) with concurrent connections against a fast
 * Vert.x backend. Rounds alternate between the two APIs so drift hits both; medians are reported.
 *
 * <p>Knobs (system properties): {@code bench.seconds} per round (10), {@code bench.rounds} (3),
 * {@code bench.connections} (16), {@code bench.threads} (1).
 */
@GatewayTest
@DeployApi({"/bench-apis/bench-plain.json", "/bench-apis/bench-capture.json", "/bench-apis/bench-sampled-out.json"})
class GatewayCaptureBench extends AbstractPolicyTest<TokentrailCapturePolicy, TokentrailCapturePolicyConfiguration> {

    private static final String BODY = json(1024);
    private static final Vertx BACKEND_VERTX = Vertx.vertx();
    private static final HttpServer BACKEND = startBackend();

    private static HttpServer startBackend() {
        try {
            return BACKEND_VERTX.createHttpServer()
                    .requestHandler(req -> req.body().onComplete(ignored -> req.response()
                            .putHeader("Content-Type", "application/json").end(BODY)))
                    .listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("bench backend did not start", e);
        }
    }

    @Override
    public void configurePlaceHolderVariables(Map<String, String> variables) {
        variables.put("BENCH_BACKEND_PORT", String.valueOf(BACKEND.actualPort()));
    }

    @Override
    public void configureEntrypoints(Map<String, EntrypointConnectorPlugin<?, ?>> entrypoints) {
        entrypoints.putIfAbsent("http-proxy", EntrypointBuilder.build("http-proxy", HttpProxyEntrypointConnectorFactory.class));
    }

    @Override
    public void configureEndpoints(Map<String, EndpointConnectorPlugin<?, ?>> endpoints) {
        endpoints.putIfAbsent("http-proxy", EndpointBuilder.build("http-proxy", HttpProxyEndpointConnectorFactory.class));
    }

    record Run(String api, double rps, double p50ms, double p99ms, long errors) {
    }

    @Test
    void capture_overhead(GatewayDynamicConfig.HttpConfig http) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 10);
        int rounds = Integer.getInteger("bench.rounds", 3);
        int connections = Integer.getInteger("bench.connections", 16);
        int threads = Integer.getInteger("bench.threads", 1);
        Path out = Path.of("target", "bench");
        Files.createDirectories(out);
        Path script = out.resolve("post-1k.lua");
        Files.writeString(script, """
                wrk.method = "POST"
                wrk.body = '%s'
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["Authorization"] = "Bearer %s"
                """.formatted(BODY, TestTokens.BOB_JWT));
        String base = "http://127.0.0.1:" + http.httpPort();

        // Both paths answer before measuring, then JIT warm-up on both.
        for (String api : List.of("/bench-plain", "/bench-capture", "/bench-sampled-out")) {
            Run warm = wrk(base + api + "/orders", script, threads, connections, 10);
            assertThat(warm.rps()).as("warm-up " + api).isPositive();
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        StringBuilder report = new StringBuilder();
        report.append("# Tokentrail Capture overhead (in-process Gravitee 4.10.9, wrk)\n");
        report.append(String.format(Locale.ROOT, "%nCPU priority of capture: %s (tokentrail.cpu.priority)%n",
                System.getProperty("tokentrail.cpu.priority", "background")));
        // Saturated (the configured connections) and light (2 connections: little queueing, so
        // latency shows the per-request cost rather than the wait behind other requests).
        for (int c : new int[] {connections, 2}) {
            measure(report, base, script, threads, c, rounds, seconds, mx, "closed loop, as fast as possible");
        }
        // A fixed offered rate below saturation, as gateways are run: the latency a client sees
        // when the node has headroom. wrk has no rate option; each connection waits between requests.
        int rate = Integer.getInteger("bench.rate", 1000);
        int rateConnections = Integer.getInteger("bench.rate.connections", 8);
        Path paced = out.resolve("post-1k-paced.lua");
        Files.writeString(paced, Files.readString(script) + """
                function delay()
                   return %d
                end
                """.formatted(Math.max(1, 1000 * rateConnections / rate)));
        measure(report, base, paced, threads, rateConnections, rounds, seconds, mx,
                "paced: about " + rate + " req/s offered in all");
        Files.writeString(out.resolve("gateway-bench.md"), report.toString());
        System.out.println(report);
    }

    private static void measure(StringBuilder report, String base, Path script, int threads, int connections,
                                int rounds, int seconds, java.lang.management.ThreadMXBean mx, String load)
            throws Exception {
        long drainMs = drain();
        long writerCpuBefore = cpuNanos(mx, "tokentrail-writer");
        long maskCpuBefore = cpuNanos(mx, "tokentrail-mask");
        NodeRecorder.Stats before = NodeRecorder.get().stats();
        List<Run> plain = new ArrayList<>();
        List<Run> capture = new ArrayList<>();
        List<Run> tapOnly = new ArrayList<>();
        List<Long> backlogMs = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            // Every round starts with empty capture queues: a backlog left by the capture round must not
            // run during (and be charged to) the next API's round.
            drain();
            plain.add(wrk(base + "/bench-plain/orders", script, threads, connections, seconds));
            drain();
            capture.add(wrk(base + "/bench-capture/orders", script, threads, connections, seconds));
            // What the round left for the background threads: the CPU they take once the load stops.
            backlogMs.add(drain());
            // Same policy, sampled out: taps and flow cost without masking and indexing.
            tapOnly.add(wrk(base + "/bench-sampled-out/orders", script, threads, connections, seconds));
        }
        NodeRecorder.Stats stats = NodeRecorder.get().stats();
        long records = stats.submitted() - before.submitted();
        double buildMicros = (stats.buildNanos() - before.buildNanos()) / 1000.0 / Math.max(1, records);
        double maskCpuMicros = (cpuNanos(mx, "tokentrail-mask") - maskCpuBefore) / 1000.0 / Math.max(1, records);
        double writerMicros = (cpuNanos(mx, "tokentrail-writer") - writerCpuBefore) / 1000.0 / Math.max(1, records);

        double rpsPlain = median(plain.stream().mapToDouble(Run::rps).toArray());
        double rpsCapture = median(capture.stream().mapToDouble(Run::rps).toArray());
        double p50Plain = median(plain.stream().mapToDouble(Run::p50ms).toArray());
        double p50Capture = median(capture.stream().mapToDouble(Run::p50ms).toArray());
        double p99Plain = median(plain.stream().mapToDouble(Run::p99ms).toArray());
        double p99Capture = median(capture.stream().mapToDouble(Run::p99ms).toArray());
        long droppedBefore = before.droppedNotReady() + before.writer().dropped();
        long drainAfterMs = drain();
        NodeRecorder.Stats after = NodeRecorder.get().stats();
        long dropped = after.droppedNotReady() + after.writer().dropped() - droppedBefore;
        report.append(String.format(Locale.ROOT, "%n## %d connections, %s%n%n", connections, load));
        report.append(String.format(Locale.ROOT, "- load: wrk -t%d -c%d, %d rounds x %d s per API, POST 1 KiB JSON, "
                + "1 KiB JSON response, Bearer JWT; %d cores%n", threads, connections, rounds, seconds,
                Runtime.getRuntime().availableProcessors()));
        report.append("- runs (api, req/s, p50 ms, p99 ms, errors):\n");
        for (int i = 0; i < rounds; i++) {
            report.append("  - ").append(plain.get(i)).append('\n').append("  - ").append(capture.get(i)).append('\n')
                    .append("  - ").append(tapOnly.get(i)).append('\n');
        }
        report.append(String.format(Locale.ROOT, "%n| | without policy | with policy | ratio / added |%n|---|---|---|---|%n"));
        report.append(String.format(Locale.ROOT, "| throughput (req/s) | %.0f | %.0f | %.3fx |%n", rpsPlain, rpsCapture,
                rpsCapture / rpsPlain));
        report.append(String.format(Locale.ROOT, "| p50 latency (ms) | %.3f | %.3f | %+.3f ms |%n", p50Plain, p50Capture,
                p50Capture - p50Plain));
        report.append(String.format(Locale.ROOT, "| p99 latency (ms) | %.3f | %.3f | %+.3f ms |%n", p99Plain, p99Capture,
                p99Capture - p99Plain));
        double rpsTap = median(tapOnly.stream().mapToDouble(Run::rps).toArray());
        double p99Tap = median(tapOnly.stream().mapToDouble(Run::p99ms).toArray());
        report.append(String.format(Locale.ROOT, "| sampled out (taps, no record): req/s, p99 | %.0f | %.3f ms | %.3fx, %+.3f ms |%n",
                rpsTap, p99Tap, rpsTap / rpsPlain, p99Tap - p99Plain));
        double backlog = median(backlogMs.stream().mapToDouble(Long::doubleValue).toArray()) / 1000.0;
        // Sustained: the round's requests over the round plus the time its backlog took to index, i.e. the
        // rate at which the node serves and records everything, with no burst for a queue to absorb.
        double sustained = rpsCapture * seconds / (seconds + backlog);
        report.append(String.format(Locale.ROOT, "| sustained, every request recorded: req/s | %.0f | %.0f | %.3fx |%n",
                rpsPlain, sustained, sustained / rpsPlain));
        report.append(String.format(Locale.ROOT, "%nper record: masking + assembly %.1f us CPU (%.1f us wall) on the "
                + "tokentrail-mask thread, %.1f us CPU on the writer thread (Lucene), %d records%n", maskCpuMicros,
                buildMicros, writerMicros, records));
        report.append(String.format(Locale.ROOT, "%ncapture round backlogs (indexed after the load stopped): %s ms; "
                + "median %.1f s after a %d s round%n", backlogMs, backlog, seconds));
        report.append(String.format(Locale.ROOT, "%ncaptured %d, dropped %d (%.1f%%); backlog indexed %.1f s after "
                + "the load stopped (%.1f s waited before it)%n", records, dropped, 100.0 * dropped / Math.max(1, records),
                drainAfterMs / 1000.0, drainMs / 1000.0));
        report.append(String.format(Locale.ROOT, "%nwriter: %s%n", after));
    }

    /** Waits (up to 5 minutes) until every capture so far is indexed or dropped; returns the wait in ms. */
    private static long drain() throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < TimeUnit.MINUTES.toNanos(5)) {
            NodeRecorder.Stats s = NodeRecorder.get().stats();
            if (s.writer() != null && s.handoffDepth() == 0 && s.writer().queueDepth() == 0) {
                break;
            }
            Thread.sleep(100);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static long cpuNanos(java.lang.management.ThreadMXBean threads, String namePrefix) {
        long total = 0;
        for (java.lang.management.ThreadInfo t : threads.dumpAllThreads(false, false)) {
            if (t.getThreadName().startsWith(namePrefix)) {
                total += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
            }
        }
        return total;
    }

    private static Run wrk(String url, Path script, int threads, int connections, int seconds)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency",
                "-s", script.toString(), url).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        String api = url.replaceAll(".*/(bench-[a-z-]+)/.*", "$1");
        return new Run(api, number(output, "Requests/sec:\\s+([0-9.]+)"), latency(output, "50%"),
                latency(output, "99%"), errors(output));
    }

    private static double number(String output, String regex) {
        Matcher m = Pattern.compile(regex).matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no " + regex + " in wrk output:\n" + output);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double latency(String output, String percentile) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)").matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no " + percentile + " latency in wrk output:\n" + output);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    private static long errors(String output) {
        Matcher m = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)").matcher(output);
        long n = m.find() ? Long.parseLong(m.group(1)) : 0;
        Matcher s = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(output);
        if (s.find()) {
            for (int i = 1; i <= 4; i++) {
                n += Long.parseLong(s.group(i));
            }
        }
        return n;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String json(int size) {
        StringBuilder b = new StringBuilder("{\"order\":{\"id\":\"ord-1\",\"items\":[");
        int i = 0;
        while (b.length() < size - 40) {
            b.append(i == 0 ? "" : ",").append("{\"sku\":\"sku-").append(i).append("\",\"qty\":").append(i % 5 + 1)
                    .append('}');
            i++;
        }
        b.append("]},\"pad\":\"");
        while (b.length() < size - 2) {
            b.append('x');
        }
        return b.append("\"}").toString();
    }

    @AfterAll
    static void stopBackend() {
        BACKEND_VERTX.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    }

}
