package dev.tokentrail.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.store.RecordCodec;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What someone types into the viewer never reaches its audit shard unless the data knows it as an
 * identifier: short and punctuated credentials typed into every route that takes input are looked
 * for in the shard's files, its decoded terms and stored records, and in {@code /api/audit}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditTrailTest {

    /** Typed as a whole; each must be absent. */
    static final List<String> TYPED = List.of("S3cret!pw", "alice:secret", "password=hunter2",
            "Basic YWxpY2U6c2VjcmV0", "Authorization: Basic YWxpY2U6c2VjcmV0", "hunter2");
    /** What must not be found anywhere: the secrets themselves, also as an analyzer would lowercase them. */
    static final List<String> SECRETS = List.of("S3cret!pw", "S3cret", "alice:secret", "secret", "hunter2",
            "YWxpY2U6c2VjcmV0", "YWxpY2U6c2VjcmV0".toLowerCase(Locale.ROOT), "s3cret");
    static final String IP = "198.51.100.4";

    @TempDir
    static Path root;
    RunningViewer v;
    final ObjectMapper json = RecordCodec.mapper();
    String trail;

    @BeforeAll
    void typeSecretsEverywhereThenStop() throws Exception {
        TestData.Made made = TestData.fill(root, Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS));
        v = new RunningViewer(root);
        int entries = 0;
        for (String s : TYPED) {
            String q = json.writeValueAsString(s);
            String enc = URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
            v.postJson("/api/search", "{\"q\":" + q + "}");
            v.get("/api/search?q=" + enc);
            v.get("/api/search?q=orders&user=" + enc);
            v.postJson("/api/timeline", "{\"key\":" + q + "}");
            v.get("/api/around?key=" + enc + "&time=" + made.start().plusSeconds(30));
            v.get("/api/export/json?key=" + enc);
            v.get("/api/export/har?key=" + enc);
            v.get("/api/findings?q=" + enc);
            for (String route : List.of("/api/exchange/", "/api/record/", "/api/export/curl/", "/api/findings/")) {
                v.get(route + enc);
            }
            entries += 12;
        }
        // What must stay readable: a token id, an address, a user, and free text mixing a user with a secret.
        v.postJson("/api/search", "{\"q\":\"" + TestData.A1 + "\"}");
        v.postJson("/api/search", "{\"q\":\"" + IP + "\"}");
        v.postJson("/api/search", "{\"q\":\"alice\"}");
        v.postJson("/api/search", "{\"q\":\"alice hunter2\"}");
        v.postJson("/api/search", "{\"q\":\"GET orders\"}");
        v.get("/api/exchange/x-a1-0");
        v.get("/api/timeline?key=" + TestData.SESSION);
        entries += 7;
        int expected = entries;
        await().atMost(Duration.ofSeconds(30)).until(() -> json.readTree(v.get("/api/audit?limit=1000").body()).size() >= expected);
        trail = v.get("/api/audit?limit=1000").body();
        v.close(); // commits and closes the shard, so its files are final
        v = null;
    }

    @AfterAll
    void stop() {
        if (v != null) {
            v.close();
        }
    }

    List<String> subjects(String action) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode e : json.readTree(trail)) {
            if (action.equals(e.get("action").asText())) {
                out.add(e.get("subject").asText());
            }
        }
        return out;
    }

    @Test
    void typed_credentials_are_absent_from_the_audit_trail_and_stand_as_fingerprint_references() throws Exception {
        for (String secret : SECRETS) {
            assertThat(trail.toLowerCase(Locale.ROOT)).as(secret).doesNotContain(secret.toLowerCase(Locale.ROOT));
        }
        Fingerprinter fp = Fingerprinter.forRoot(root);
        assertThat(subjects("search")).contains("q=" + fp.reference("S3cret!pw"), "q=" + fp.reference("alice:secret"),
                "q=" + fp.reference("password=hunter2"),
                "q=" + fp.reference("Basic") + " " + fp.reference("YWxpY2U6c2VjcmV0"));
        assertThat(subjects("timeline")).contains("key=" + fp.reference("S3cret!pw") + " (UNKNOWN)");
    }

    @Test
    void a_token_id_an_address_and_a_user_stay_readable() throws Exception {
        assertThat(subjects("search")).contains("q=" + TestData.A1, "q=" + IP, "q=alice");
        // Free text: words the results name stay (a method, an API); a user beside a word that
        // matched nothing is still known to the data.
        assertThat(subjects("search")).contains("q=GET orders")
                .contains("q=alice " + Fingerprinter.forRoot(root).reference("hunter2"));
        assertThat(subjects("exchange")).contains("id=x-a1-0");
        assertThat(subjects("timeline")).contains("key=" + TestData.SESSION + " (SESSION)");
    }

    @Test
    void typed_credentials_are_absent_from_every_byte_term_and_stored_record_of_the_audit_shard() throws Exception {
        Path shard = root.resolve("viewer-test");
        List<String> files = new ArrayList<>();
        StringBuilder stored = new StringBuilder();
        StringBuilder terms = new StringBuilder();
        try (Stream<Path> all = Files.walk(shard)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                files.add(f.getFileName() + ":" + new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        // The shard deflates stored records and compresses terms: read them decoded too.
        try (FSDirectory dir = FSDirectory.open(shard); DirectoryReader r = DirectoryReader.open(dir)) {
            for (LeafReaderContext leaf : r.leaves()) {
                StoredFields sf = leaf.reader().storedFields();
                for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                    for (IndexableField f : sf.document(doc)) {
                        BytesRef b = f.binaryValue();
                        stored.append(b != null ? new String(b.bytes, b.offset, b.length, StandardCharsets.UTF_8)
                                : f.stringValue()).append('\n');
                    }
                }
                for (FieldInfo fi : leaf.reader().getFieldInfos()) {
                    Terms t = leaf.reader().terms(fi.name);
                    if (t == null) {
                        continue;
                    }
                    TermsEnum te = t.iterator();
                    for (BytesRef term = te.next(); term != null; term = te.next()) {
                        terms.append(fi.name).append('=').append(term.utf8ToString()).append('\n');
                    }
                }
            }
        }
        // The decoded view does see what was stored: the readable keys are there.
        assertThat(stored).contains(TestData.A1).contains(IP).contains("\"subject\":\"q=alice\"");
        assertThat(terms).contains("text=alice");
        for (String secret : SECRETS) {
            String s = secret.toLowerCase(Locale.ROOT);
            assertThat(stored.toString().toLowerCase(Locale.ROOT)).as("stored: " + secret).doesNotContain(s);
            assertThat(terms.toString().toLowerCase(Locale.ROOT)).as("terms: " + secret).doesNotContain(s);
            for (String f : files) {
                assertThat(f).as("file bytes: " + secret).doesNotContain(secret);
            }
        }
    }
}
