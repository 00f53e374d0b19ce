package dev.tokentrail.gateway;

import static org.awaitility.Awaitility.await;

import dev.tokentrail.gateway.configuration.TokentrailCapturePolicyConfiguration;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.store.ShardWriter;
import io.gravitee.apim.gateway.tests.sdk.AbstractPolicyTest;
import io.gravitee.apim.gateway.tests.sdk.connector.EndpointBuilder;
import io.gravitee.apim.gateway.tests.sdk.connector.EntrypointBuilder;
import io.gravitee.plugin.endpoint.EndpointConnectorPlugin;
import io.gravitee.plugin.endpoint.http.proxy.HttpProxyEndpointConnectorFactory;
import io.gravitee.plugin.entrypoint.EntrypointConnectorPlugin;
import io.gravitee.plugin.entrypoint.http.proxy.HttpProxyEntrypointConnectorFactory;
import io.vertx.core.http.HttpMethod;
import io.vertx.rxjava3.core.MultiMap;
import io.vertx.rxjava3.core.buffer.Buffer;
import io.vertx.rxjava3.core.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;

/**
 * A real in-process Gravitee gateway with the policy registered from the test classpath, a
 * WireMock backend, and a reader over the node's shard (the data root comes from the surefire
 * configuration, {@code tokentrail.data.root}).
 */
abstract class CaptureGatewayTestBase
        extends AbstractPolicyTest<TokentrailCapturePolicy, TokentrailCapturePolicyConfiguration> {

    private static ReplayReader reader;

    @Override
    public void configureEntrypoints(Map<String, EntrypointConnectorPlugin<?, ?>> entrypoints) {
        entrypoints.putIfAbsent("http-proxy", EntrypointBuilder.build("http-proxy", HttpProxyEntrypointConnectorFactory.class));
    }

    @Override
    public void configureEndpoints(Map<String, EndpointConnectorPlugin<?, ?>> endpoints) {
        endpoints.putIfAbsent("http-proxy", EndpointBuilder.build("http-proxy", HttpProxyEndpointConnectorFactory.class));
    }

    record Reply(int status, MultiMap headers, byte[] body) {
        String requestId() {
            return headers.get("X-Gravitee-Request-Id");
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static Reply send(HttpClient client, HttpMethod method, String uri, Map<String, String> headers, byte[] body) {
        return client.rxRequest(method, uri)
                .flatMap(req -> {
                    headers.forEach(req::putHeader);
                    return body == null ? req.rxSend() : req.rxSend(Buffer.buffer(body));
                })
                .flatMap(res -> res.rxBody().map(b -> new Reply(res.statusCode(), res.headers(), b.getBytes())))
                .blockingGet();
    }

    static Reply fetch(HttpClient client, String uri, Map<String, String> headers) {
        return send(client, HttpMethod.GET, uri, headers, null);
    }

    static Path dataRoot() {
        return Path.of(System.getProperty("tokentrail.data.root"));
    }

    static synchronized ReplayReader reader() {
        if (reader == null) {
            reader = ReplayReader.open(dataRoot());
        }
        return reader;
    }

    /** Waits for the node's record of a request: commit now, refresh the reader, look it up. */
    static Exchange awaitExchange(String requestId) {
        AtomicReference<Exchange> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            commitNodeWriter();
            ReplayReader r = reader();
            r.refresh();
            Optional<Exchange> e = r.exchange(requestId);
            e.ifPresent(found::set);
            return e.isPresent();
        });
        return found.get();
    }

    /** After committing everything handed over so far: whether the node recorded this request. */
    static boolean recorded(String requestId) {
        commitNodeWriter();
        ReplayReader r = reader();
        r.refresh();
        return r.exchange(requestId).isPresent();
    }

    static void commitNodeWriter() {
        ShardWriter w = NodeRecorder.get().awaitWriter(Duration.ofSeconds(10));
        if (w != null) {
            w.commitNow(Duration.ofSeconds(10));
        }
    }

    @AfterAll
    static void closeReader() {
        synchronized (CaptureGatewayTestBase.class) {
            if (reader != null) {
                reader.close();
                reader = null;
            }
        }
    }
}
