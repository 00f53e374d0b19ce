package dev.tokentrail.viewer.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import dev.tokentrail.index.query.ReplayReader;
import dev.tokentrail.index.store.ShardConfig;
import dev.tokentrail.index.store.ShardWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    @Test
    void typed_text_keeps_what_the_results_name_and_turns_every_other_word_into_its_fingerprint() {
        Fingerprinter fp = Fingerprinter.forRoot(root);
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
        TokenEvent login = new TokenEvent("ev-1", Instant.parse("2026-01-01T00:00:00Z"), TokenEventType.SESSION_STARTED,
                "LOGIN", "shop", "shop-web", "alice", "5b1c9a64-0d43-4c5e-9d6a-1f2e3d4c5b6a", "198.51.100.4", null, null,
                null, null, Map.of(), null, "kc1");
        try (ShardWriter w = ShardWriter.open(ShardConfig.of(root, "viewer", "t")); ReplayReader r = ReplayReader.open(root)) {
            AuditLog log = new AuditLog(w, r, fp, "t");
            for (String secret : List.of("S3cret!pw", "alice:secret", "password=hunter2", "YWxpY2U6c2VjcmV0", "123456")) {
                assertThat(log.typed(secret, List.of(login))).as(secret).isEqualTo(fp.reference(secret));
            }
            assertThat(log.typed("Basic YWxpY2U6c2VjcmV0", List.of(login)))
                    .isEqualTo(fp.reference("Basic") + " " + fp.reference("YWxpY2U6c2VjcmV0"));
            assertThat(log.typed("alice", List.of(login))).isEqualTo("alice");
            assertThat(log.typed("shop-web LOGIN hunter2", List.of(login))).isEqualTo("shop-web LOGIN " + fp.reference("hunter2"));
            assertThat(log.typed("alice", List.of())).as("not named by any result, not in the data").isEqualTo(fp.reference("alice"));
            assertThat(log.typed("10.1.2.3 2001:db8::1 abc:def:123 500 200..299", List.of()))
                    .isEqualTo("10.1.2.3 2001:db8::1 " + fp.reference("abc:def:123") + " 500 200..299");
            // A raw token is named as the reader names it: by the fingerprint its records carry.
            assertThat(log.typed("  " + jwt + " ", List.of())).isEqualTo(fp.reference(jwt));
            assertThat(log.typed("«token:AAAAAAAAAAAAAAAAAAAAAA»", List.of())).isEqualTo("«token:AAAAAAAAAAAAAAAAAAAAAA»");
            assertThat(log.typed("«token:" + jwt + "»", List.of())).doesNotContain(jwt);
            assertThat(log.typed("a ".repeat(40), List.of())).endsWith("…").hasSizeLessThan(40 * 26);
        }
    }

    @Test
    void only_real_ipv6_literals_pass_as_addresses() {
        assertThat(List.of("::1", "2001:db8::1", "fe80::1:2:3:4", "2001:db8:0:0:0:0:0:1", "::"))
                .allMatch(AuditLog::ipv6);
        assertThat(List.of("alice:secret", "abc:def:123", "dead:beef", "a::b::c", "1:2:3:4:5:6:7:8:9", "12345::1",
                "user:pass@host", ":")).noneMatch(AuditLog::ipv6);
    }

    @Test
    void a_raw_token_slipped_into_a_subject_is_still_written_as_a_reference() {
        Fingerprinter fp = Fingerprinter.forRoot(root);
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
        try (ShardWriter w = ShardWriter.open(ShardConfig.of(root, "viewer", "t")); ReplayReader r = ReplayReader.open(root)) {
            AuditLog log = new AuditLog(w, r, fp, "t");
            log.record(new AuditEntry(Instant.parse("2026-01-01T00:00:00Z"), "alice", "oidc", "search",
                    "q=Bearer " + jwt + " client=service-account-for-the-shop", 0));
            assertThat(w.commitNow(Duration.ofSeconds(30))).isTrue();
            r.refresh();
            assertThat(log.recent(1).get(0).subject())
                    .isEqualTo("q=Bearer " + fp.reference(jwt) + " client=service-account-for-the-shop");
        }
    }
}
