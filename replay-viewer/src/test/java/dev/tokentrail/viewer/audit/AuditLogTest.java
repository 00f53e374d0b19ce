package dev.tokentrail.viewer.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.store.ShardConfig;
import dev.tokentrail.index.store.ShardWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir
    Path root;

    @Test
    void credential_like_words_are_replaced_by_fingerprints_and_readable_keys_are_kept() {
        Fingerprinter fp = Fingerprinter.forRoot(root);
        try (ShardWriter w = ShardWriter.open(ShardConfig.of(root, "viewer", "t")); ReplayReader r = ReplayReader.open(root)) {
            AuditLog log = new AuditLog(w, r, fp, "t");
            String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
            String s = log.scrub("q=" + jwt + " user alice ip 203.0.113.7 sid 5b1c9a64-0d43-4c5e-9d6a-1f2e3d4c5b6a opaque "
                    + "sk_live_51H8abcdefghijkl key=«token:AAAAAAAAAAAAAAAAAAAAAA»");
            assertThat(s).doesNotContain(jwt).contains(fp.reference(jwt)).doesNotContain("sk_live_51H8abcdefghijkl")
                    .contains("alice").contains("203.0.113.7").contains("5b1c9a64-0d43-4c5e-9d6a-1f2e3d4c5b6a")
                    .contains("«token:AAAAAAAAAAAAAAAAAAAAAA»");
            // A raw token dressed up as a reference is still a raw token.
            assertThat(log.scrub("«token:" + jwt + "»")).doesNotContain(jwt);
            assertThat(log.scrub("q=" + jwt)).isEqualTo("q=" + fp.reference(jwt));
        }
    }

    @Test
    void entries_go_to_the_viewer_shard_scrubbed_and_are_read_back_newest_first() {
        Fingerprinter fp = Fingerprinter.forRoot(root);
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
        try (ShardWriter w = ShardWriter.open(ShardConfig.of(root, "viewer", "t")); ReplayReader r = ReplayReader.open(root)) {
            AuditLog log = new AuditLog(w, r, fp, "t");
            log.record(new AuditEntry(Instant.parse("2026-01-01T00:00:00Z"), "alice", "oidc", "search", "q=" + jwt, 3));
            log.record(new AuditEntry(Instant.parse("2026-01-01T00:01:00Z"), "alice", "oidc", "exchange", "id=x1", 1));
            assertThat(w.commitNow(Duration.ofSeconds(30))).isTrue();
            r.refresh();
            assertThat(log.recent(10)).extracting(AuditEntry::action).containsExactly("exchange", "search");
            assertThat(log.recent(10).get(1).subject()).isEqualTo("q=" + fp.reference(jwt));
            assertThat(log.recent(1)).hasSize(1);
        }
        assertThat(root.resolve("viewer-t")).isDirectory();
    }
}
