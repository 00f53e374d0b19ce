package dev.tokentrail.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Header;
import dev.tokentrail.index.store.ShardConfig;
import dev.tokentrail.index.store.ShardWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The e2e scan must find a secret wherever Lucene keeps it, in whatever case and pieces. */
class ShardContentsTest {

    @TempDir
    Path root;

    @Test
    void finds_an_unmasked_secret_in_compressed_stored_fields_and_in_lower_cased_split_terms() throws Exception {
        // Written on purpose without MaskingPolicy: what a masking bug would put on disk.
        String signature = "Zx9QwErTy_7uIoPaSd-Fg3hJkLzXcVbNm4";
        try (ShardWriter w = ShardWriter.open(ShardConfig.of(root, "gateway", "leaky"))) {
            w.offer(new Exchange("r-1", null, Instant.parse("2026-12-01T10:00:00Z"), Duration.ofMillis(3), "api", null,
                    null, null, "POST", "http", "h", "/login", null,
                    List.of(new Header("X-Note", "harmless")),
                    new Body("{\"note\":\"sig " + signature + " end\"}", 40, false, "application/json", null, null),
                    200, List.of(), Body.NONE, "127.0.0.1", List.of(), "curl", null, List.of(), "leaky"));
            w.offer(new Exchange("r-2", null, Instant.parse("2026-12-01T10:00:01Z"), Duration.ofMillis(3), "api", null,
                    null, null, "GET", "http", "h", "/ok", null, List.of(), Body.NONE, 200, List.of(), Body.NONE,
                    "127.0.0.1", List.of(), "curl", null, List.of(), "leaky"));
            assertThat(w.commitNow(Duration.ofSeconds(10))).isTrue();
        }

        ShardContents.Result r = ShardContents.scan(root, Map.of("the signature", signature, "absent", "NotWrittenAnywhere42"));

        assertThat(r.shards()).isEqualTo(1);
        assertThat(r.documents()).isEqualTo(2);
        assertThat(r.leaks()).anyMatch(l -> l.startsWith("the signature in gateway-leaky stored fields"))
                .anyMatch(l -> l.startsWith("the signature (a piece: ") && l.contains("terms of text"))
                .noneMatch(l -> l.startsWith("absent"));
        // The raw bytes alone hide it: the stored payload is compressed.
        assertThat(SecretScan.scan(root, Map.of("the signature", signature)).leaks()).isEmpty();
    }
}
