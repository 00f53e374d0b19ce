package dev.tokentrail.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gravitee.apim.gateway.tests.sdk.AbstractGatewayTest;
import io.gravitee.apim.gateway.tests.sdk.annotations.DeployApi;
import io.gravitee.apim.gateway.tests.sdk.annotations.GatewayTest;
import io.gravitee.apim.gateway.tests.sdk.connector.EndpointBuilder;
import io.gravitee.apim.gateway.tests.sdk.connector.EntrypointBuilder;
import io.gravitee.plugin.endpoint.EndpointConnectorPlugin;
import io.gravitee.plugin.endpoint.http.proxy.HttpProxyEndpointConnectorFactory;
import io.gravitee.plugin.entrypoint.EntrypointConnectorPlugin;
import io.gravitee.plugin.entrypoint.http.proxy.HttpProxyEntrypointConnectorFactory;
import io.vertx.core.http.HttpMethod;
import io.vertx.rxjava3.core.http.HttpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The plugin as an admin installs it: the built zip sits in the gateway home's {@code plugins/}
 * and the gateway's plugin registry loads it at boot. Neither the policy nor replay-index nor
 * Lucene is on this test's classpath (failsafe excludes them), so only the zip can provide them.
 * The shard is read back with the replay-index jar taken from the zip's {@code lib/}.
 *
 * <p>Runs after every gateway test (failsafe, after surefire), so it also scans every shard the
 * tests wrote for the raw credentials they sent.
 */
@GatewayTest(configFolder = "/gravitee-zip")
@DeployApi("/apis/zip-capture.json")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginZipIT extends AbstractGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static URLClassLoader replayIndex;

    @Override
    public void configureEntrypoints(Map<String, EntrypointConnectorPlugin<?, ?>> entrypoints) {
        entrypoints.putIfAbsent("http-proxy", EntrypointBuilder.build("http-proxy", HttpProxyEntrypointConnectorFactory.class));
    }

    @Override
    public void configureEndpoints(Map<String, EndpointConnectorPlugin<?, ?>> endpoints) {
        endpoints.putIfAbsent("http-proxy", EndpointBuilder.build("http-proxy", HttpProxyEndpointConnectorFactory.class));
    }

    @Test
    @Order(1)
    void the_gateway_runs_the_policy_from_the_zip_and_its_shard_reads_back(HttpClient client) throws Exception {
        assertThatThrownBy(() -> Class.forName("dev.tokentrail.gateway.TokentrailCapturePolicy"))
                .as("the policy must not be on the test classpath").isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.apache.lucene.index.IndexWriter"))
                .as("Lucene must not be on the test classpath").isInstanceOf(ClassNotFoundException.class);
        wiremock.stubFor(get(urlPathEqualTo("/backend/hello")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"hello\":\"zip\"}")));

        String requestId = client.rxRequest(HttpMethod.GET, "/zip/hello")
                .flatMap(req -> req.putHeader("Authorization", "Bearer " + TestTokens.ZIP_JWT).rxSend())
                .map(res -> {
                    assertThat(res.statusCode()).isEqualTo(200);
                    return res.getHeader("X-Gravitee-Request-Id");
                })
                .blockingGet();

        Path root = Path.of(System.getProperty("tokentrail.data.root"));
        AtomicReference<JsonNode> record = new AtomicReference<>();
        try (AutoCloseable reader = openReader(root)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                call(reader, "refresh");
                Optional<?> found = (Optional<?>) call(reader, "exchange", requestId);
                found.ifPresent(r -> record.set(toJson(r)));
                return found.isPresent();
            });
        }
        JsonNode e = record.get();
        assertThat(e.path("path").asText()).isEqualTo("/zip/hello");
        assertThat(e.path("status").asInt()).isEqualTo(200);
        assertThat(e.path("node").asText()).isEqualTo("zip");
        assertThat(e.toString()).contains("jti-zip-0003").doesNotContain(TestTokens.ZIP_JWT);
        assertThat(Files.isDirectory(root.resolve("gateway-zip"))).isTrue();
    }

    @Test
    @Order(2)
    void no_shard_written_by_any_test_holds_a_raw_credential() throws Exception {
        Path all = Path.of(System.getProperty("tokentrail.it.all.data"));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(all)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("shard files under %s", all).isNotEmpty();
        List<byte[]> needles = new ArrayList<>();
        Stream.concat(TestTokens.all().stream(), TestTokens.signatures().stream())
                .forEach(s -> needles.add(s.getBytes(StandardCharsets.UTF_8)));
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            for (byte[] needle : needles) {
                assertThat(indexOf(bytes, needle)).as("%s holds a raw credential (%d bytes at offset)", f, needle.length)
                        .isEqualTo(-1);
            }
        }

        // Stored fields are compressed, so also read every record back and look at what it says.
        int records = 0;
        try (Stream<Path> roots = Files.list(all)) {
            for (Path root : roots.filter(Files::isDirectory).toList()) {
                try (AutoCloseable reader = openReader(root)) {
                    records += scanAllRecords(reader);
                }
            }
        }
        assertThat(records).as("records read back from every shard").isGreaterThan(10);
    }

    private int scanAllRecords(Object reader) throws Exception {
        Class<?> searchQuery = replayIndex.loadClass("dev.tokentrail.index.query.SearchQuery");
        Class<?> pageRequest = replayIndex.loadClass("dev.tokentrail.index.query.PageRequest");
        Object query = searchQuery.getConstructors()[0].newInstance(null, Map.of(), null, null, false);
        Object page = pageRequest.getMethod("first", int.class).invoke(null, 1000);
        int n = 0;
        while (true) {
            Object result = reader.getClass().getMethod("search", searchQuery, pageRequest).invoke(reader, query, page);
            List<?> items = (List<?>) call(result, "items");
            for (Object r : items) {
                String json = toJson(r).toString();
                for (String secret : TestTokens.all()) {
                    assertThat(json).as("a stored record").doesNotContain(secret);
                }
                n++;
            }
            if (!(boolean) call(result, "hasNext")) {
                return n;
            }
            page = pageRequest.getMethod("next", replayIndex.loadClass("dev.tokentrail.index.query.Page"))
                    .invoke(page, result);
        }
    }

    /** replay-index and Lucene from the zip's lib/, Jackson from the gateway (as in the real plugin). */
    private static synchronized AutoCloseable openReader(Path root) throws Exception {
        if (replayIndex == null) {
            Path zip = Path.of(System.getProperty("tokentrail.it.zip"));
            Path lib = Files.createTempDirectory("tokentrail-zip-lib");
            List<URL> jars = new ArrayList<>();
            try (ZipFile z = new ZipFile(zip.toFile())) {
                for (ZipEntry entry : java.util.Collections.list(z.entries())) {
                    if (entry.getName().startsWith("lib/") && entry.getName().endsWith(".jar")) {
                        Path target = lib.resolve(Path.of(entry.getName()).getFileName());
                        try (InputStream in = z.getInputStream(entry)) {
                            Files.copy(in, target);
                        }
                        jars.add(target.toUri().toURL());
                    }
                }
            }
            assertThat(jars).extracting(URL::getPath).anyMatch(p -> p.contains("replay-index"))
                    .anyMatch(p -> p.contains("lucene-core")).noneMatch(p -> p.contains("jackson"));
            replayIndex = new URLClassLoader(jars.toArray(URL[]::new), PluginZipIT.class.getClassLoader());
        }
        Class<?> readerClass = replayIndex.loadClass("dev.tokentrail.index.query.ReplayReader");
        return (AutoCloseable) readerClass.getMethod("open", Path.class).invoke(null, root);
    }

    private static JsonNode toJson(Object record) {
        try {
            Class<?> codec = replayIndex.loadClass("dev.tokentrail.index.store.RecordCodec");
            Class<?> recordType = replayIndex.loadClass("dev.tokentrail.index.model.ReplayRecord");
            return JSON.readTree((String) codec.getMethod("toJson", recordType).invoke(null, record));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object call(Object target, String method, Object... args) throws ReflectiveOperationException {
        for (Method m : target.getClass().getMethods()) {
            if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                return m.invoke(target, args);
            }
        }
        throw new NoSuchMethodException(target.getClass().getName() + "." + method);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @AfterAll
    static void closeLoader() throws IOException {
        if (replayIndex != null) {
            replayIndex.close();
        }
    }
}
