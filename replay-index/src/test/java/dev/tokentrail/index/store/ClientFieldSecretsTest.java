package dev.tokentrail.index.store;

import static dev.tokentrail.index.Fixtures.T0;
import static dev.tokentrail.index.identity.TokenCases.T1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.mask.MaskingPolicy;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.query.PageRequest;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.query.SearchQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values a client chooses outside headers and bodies (User-Agent, X-Forwarded-For, traceparent,
 * Host) go through masking too: what the writer stores and indexes never holds a planted secret.
 */
class ClientFieldSecretsTest {

    private static final String SIGNATURE = T1.substring(T1.lastIndexOf('.') + 1);

    @TempDir
    Path root;

    @ParameterizedTest
    @ValueSource(strings = {"userAgent", "forwardedFor", "traceparent", "host"})
    void aJwtAndAPasswordPlantedInTheFieldReachNeitherPayloadNorFullText(String field) throws Exception {
        Fingerprinter fp = Fingerprinter.forRoot(root);
        MaskingPolicy policy = MaskingPolicy.defaults(fp);
        String planted = "probe/1.0 " + T1 + " password=hunter2";
        Exchange.Builder b = Exchange.builder("x1", T0).method("GET").path("/orders").status(200).node("gw-1")
                .host("api.local").userAgent("probe/1.0").forwardedFor(List.of("203.0.113.7"));
        switch (field) {
            case "userAgent" -> b.userAgent(planted);
            case "forwardedFor" -> b.forwardedFor(List.of("203.0.113.7", planted));
            case "traceparent" -> b.traceparent(planted);
            case "host" -> b.host(planted);
            default -> throw new IllegalArgumentException(field);
        }
        try (ShardWriter w = ShardWriter.open(ShardConfig.of(root, "gateway", "gw-1"))) {
            assertThat(w.offer(policy.mask(b.build()))).isTrue();
            assertThat(w.commitNow(Duration.ofSeconds(10))).isTrue();
        }

        List<String> payloads = payloads(root.resolve("gateway-gw-1"));
        assertThat(payloads).hasSize(1);
        assertThat(payloads.get(0)).contains("«masked:password»", fp.reference(T1))
                .doesNotContain("hunter2").doesNotContain(SIGNATURE);
        try (ReplayReader reader = ReplayReader.open(root)) {
            Exchange stored = reader.exchange("x1").orElseThrow();
            assertThat(stored.toString()).doesNotContain("hunter2").doesNotContain(SIGNATURE);
            // The search works on this record (so an empty result below means something) ...
            assertThat(reader.search(SearchQuery.text("orders"), PageRequest.first()).items()).hasSize(1);
            // ... yet neither planted value finds it.
            assertThat(reader.search(SearchQuery.text("hunter2"), PageRequest.first()).items()).isEmpty();
            assertThat(reader.search(SearchQuery.text(SIGNATURE), PageRequest.first()).items()).isEmpty();
        }
    }

    /** Every stored payload of a shard, as the JSON text written to disk. */
    private static List<String> payloads(Path shard) throws Exception {
        List<String> out = new ArrayList<>();
        try (var dir = FSDirectory.open(shard); var r = DirectoryReader.open(dir)) {
            StoredFields fields = r.storedFields();
            for (int i = 0; i < r.maxDoc(); i++) {
                var bytes = fields.document(i).getBinaryValue(Schema.PAYLOAD.field());
                out.add(new String(bytes.bytes, bytes.offset + 1, bytes.length - 1, StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
