package dev.tokentrail.index.mask;

import static dev.tokentrail.index.identity.TokenCases.T1;
import static dev.tokentrail.index.identity.TokenCases.T3;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.model.SensitiveNames;
import dev.tokentrail.index.model.TokenEvent;
import dev.tokentrail.index.model.TokenEventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** {@link MaskingPolicy#mask(TokenEvent)}: identity provider details get the body rules. */
class EventMaskingTest {

    private final Fingerprinter fp = Fingerprinter.withKey("event-masking-test-key-0123456789".getBytes());
    private final MaskingPolicy policy = MaskingPolicy.defaults(fp);

    private static TokenEvent event(Map<String, String> details) {
        return new TokenEvent("e1", Instant.parse("2026-12-01T10:00:00Z"), TokenEventType.ISSUED, "LOGIN", "shop",
                "web", "u1", "s1", "10.0.0.5", "onrtro:a1", "r1", null, null, details, null, "kc-1");
    }

    @Test
    void aJwtInADetailValueBecomesItsSearchableReference() {
        TokenEvent out = policy.mask(event(Map.of("custom_note", "bearer " + T1, "hint", T3)));
        assertThat(out.details()).containsEntry("custom_note", "bearer " + fp.reference(T1))
                .containsEntry("hint", fp.reference(T3));
        assertThat(out.toString()).doesNotContain(T1.substring(T1.lastIndexOf('.') + 1));
    }

    @Test
    void aSecretInsideAnOrdinaryValueIsMasked() {
        TokenEvent out = policy.mask(event(Map.of("redirect_uri", "https://app/cb?code=abc&state=s",
                "reason", "rejected password=hunter2")));
        assertThat(out.details()).containsEntry("redirect_uri", "https://app/cb?code=«masked:code»&state=s")
                .containsEntry("reason", "rejected password=«masked:password»");
    }

    @Test
    void namesConfiguredOnThePolicyAreMaskedToo() {
        MaskingPolicy custom = policy.toBuilder().maskFields(List.of("recovery_hint")).build();
        assertThat(custom.mask(event(Map.of("Recovery-Hint", "blue"))).details())
                .containsEntry("Recovery-Hint", "«masked:Recovery-Hint»");
    }

    @Test
    void everythingButTheDetailsIsKeptAndAnEventWithNothingToMaskIsReturnedAsIs() {
        TokenEvent raw = event(Map.of("grant_type", "password", "scope", "openid", "note", T1));
        TokenEvent out = policy.mask(raw);
        assertThat(out).usingRecursiveComparison().ignoringFields("details").isEqualTo(raw);
        assertThat(policy.mask(out)).isSameAs(out);
        TokenEvent plain = event(Map.of("grant_type", "password"));
        assertThat(policy.mask(plain)).isSameAs(plain);
    }

    /** The model's own guard and the masking policy's field names are one rule, not two that drift apart. */
    @Property(tries = 1000)
    void theModelGuardAndTheBodyMaskingAgreeOnEveryName(@ForAll("names") String name) {
        String json = "{\"" + name + "\":\"v\"}";
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        boolean maskedInBody = !policy.body(b, b.length, b.length, "application/json", null).text().equals(json);
        assertThat(SensitiveNames.isSecretField(name)).as(name).isEqualTo(maskedInBody);
        assertThat(new Names(SensitiveNames.FIELDS, SensitiveNames.FIELD_WORDS).matches(name)).as(name)
                .isEqualTo(maskedInBody);
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> piece = Arbitraries.oneOf(Arbitraries.of(List.copyOf(SensitiveNames.FIELDS)),
                Arbitraries.of(SensitiveNames.FIELD_WORDS), Arbitraries.of("new", "x", "my", "id", "type", "grant",
                        "scope", "user", "Name", "TOKEN", "Pass", "word", "Client", "Secret"));
        Arbitrary<String> sep = Arbitraries.of("", "_", "-", ".", " ");
        return piece.list().ofMinSize(1).ofMaxSize(3).flatMap(ps -> sep.map(s -> String.join(s, ps)))
                .map(n -> n.length() % 3 == 0 ? n.toUpperCase() : n);
    }
}
