package dev.tokentrail.index.identity;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TokenIdentityPropertiesTest {

    private final Fingerprinter fp = Fingerprinter.withKey(new byte[32]);

    @Property(tries = 500)
    void decodingNeverThrowsAndNeverKeepsTheRawValue(@ForAll("bearerish") String raw) {
        TokenIdentity t = TokenIdentity.of(raw, fp);
        if (raw.isBlank()) {
            assertThat(t).isNull();
            return;
        }
        assertThat(t.fingerprint()).isEqualTo(fp.fingerprint(raw.strip()));
        if (raw.strip().length() >= 12) {
            assertThat(t.toString()).doesNotContain(raw.strip());
        }
    }

    @Provide
    Arbitrary<String> bearerish() {
        Arbitrary<String> segment = Arbitraries.strings().withChars("eyJAZaz09-_+/=.!{}\" \u00ff").ofMaxLength(40);
        Arbitrary<String> jsonish = Arbitraries.strings().ofMaxLength(60)
                .map(s -> TokenCases.jwt("{\"jti\":\"" + s.replace("\\", "").replace("\"", "") + "\"}"));
        return Arbitraries.oneOf(segment, jsonish, Arbitraries.strings().ofMaxLength(80),
                segment.list().ofMaxSize(6).map(l -> String.join(".", l)));
    }
}
