package dev.tokentrail.index.mask;

import static dev.tokentrail.index.identity.TokenCases.T1;
import static dev.tokentrail.index.identity.TokenCases.T11;
import static dev.tokentrail.index.identity.TokenCases.T12;
import static dev.tokentrail.index.identity.TokenCases.T5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.model.SensitiveNames;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextMaskerTest {

    private final Fingerprinter fp = Fingerprinter.withKey("text-masker-test-key-0123456789a".getBytes());
    private final TextMasker text = new TextMasker(fp, new Names(SensitiveNames.FIELDS, List.of("password", "secret")), false);

    @Test
    void jwtShapesAreFoundWhereverTheyAre() {
        assertThat(text.mask("a " + T1 + ".")).isEqualTo("a " + fp.reference(T1) + "."); // sentence end
        assertThat(text.mask("(" + T5 + ")")).isEqualTo("(" + fp.reference(T5) + ")"); // alg none, empty signature
        assertThat(text.mask("jwe=" + T12)).isEqualTo("jwe=" + fp.reference(T12));
        assertThat(text.mask("x" + T1)).isEqualTo("x" + fp.reference(T1)); // glued to a word
        assertThat(text.mask("odd " + T11 + " end")).isEqualTo("odd " + fp.reference(T11) + " end"); // +/= alphabet
    }

    @Test
    void thingsThatOnlyLookALittleLikeJwtsStay() {
        for (String s : List.of("eyJ", "eyJhbGciOiJ", "eyJhbGciOiJIUzI1NiJ9.", "eyJhbGciOiJIUzI1NiJ9..", "eyJshort.a.b",
                "hey Jude", "version 1.2.3", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0")) {
            assertThat(text.mask(s)).as(s).isSameAs(s);
        }
    }

    @Test
    void keyValueShapes() {
        assertThat(text.mask("password=a&x=1")).isEqualTo("password=«masked:password»&x=1");
        assertThat(text.mask("\"password\" : \"a b c\", \"x\":1")).isEqualTo("\"password\" : \"«masked:password»\", \"x\":1");
        assertThat(text.mask("'secret' => 'v'")).isEqualTo("'secret' => '«masked:secret»'");
        assertThat(text.mask("user[password]=v")).isEqualTo("user[password]=«masked:userpassword»");
        assertThat(text.mask("{\\\"password\\\":\\\"esc\\\"}")).doesNotContain("esc");
        assertThat(text.mask("password: \"unterminated")).isEqualTo("password: \"«masked:password»");
        assertThat(text.mask("Authorization: Basic YWxpY2U6c2VjcmV0 next")).isEqualTo("Authorization: Basic «masked:Authorization» next");
        assertThat(text.mask("see https://x/password")).isEqualTo("see https://x/password");
        assertThat(text.mask("password=")).isEqualTo("password=");
    }

    @Test
    void maskingIsIdempotent() {
        String once = text.mask("password=a \"secret\":\"b\" t=" + T1 + " access_token=" + T1);
        assertThat(text.mask(once)).isEqualTo(once);
        assertThat(once).contains("access_token=" + fp.reference(T1));
    }

    @Test
    void onlyExactMarkersCountAsAlreadyMasked() {
        assertThat(text.mask("password=«hunter2»")).isEqualTo("password=«masked:password»");
        assertThat(text.mask("password=«masked:x»")).isEqualTo("password=«masked:x»");
        assertThat(text.mask("{\"password\":\"«hunter2»\"}")).isEqualTo("{\"password\":\"«masked:password»\"}");
        assertThat(text.mask("{\"password\":\"«token:short»\"}")).isEqualTo("{\"password\":\"«masked:password»\"}");
    }

    @Test
    void adversarialInputsFinish() {
        // Each of these would take minutes with a quadratic scan; linear scans take milliseconds.
        int n = 1 << 20;
        List<String> inputs = List.of(
                "eyJ".repeat(n / 3), "eyJ.".repeat(n / 4), "eyJhbGciOiJIUzI1NiJ9.".repeat(n / 21),
                "password=".repeat(n / 9), "\"".repeat(n), ",\"\\\"".repeat(n / 4), "<password ".repeat(n / 10),
                "a".repeat(n), "4111 ".repeat(n / 5), "{\"pass\\u0077ord".repeat(n / 16), "x.".repeat(n / 2));
        TextMasker withCards = new TextMasker(fp, new Names(SensitiveNames.FIELDS, List.of("password")), true);
        for (String s : inputs) {
            assertThat(withCards.mask(s, true)).isNotNull();
        }
    }

    @Test
    void namesMatchIgnoringCaseAndSeparators() {
        Names names = new Names(List.of("client_secret", "code"), List.of("password"));
        assertThat(names.matches("CLIENT-SECRET")).isTrue();
        assertThat(names.matches("clientSecret")).isTrue();
        assertThat(names.matches("x_new_Password_2")).isTrue();
        assertThat(names.matches("zipcode")).isFalse();
        assertThat(names.matches("")).isFalse();
        assertThat(names.matches((String) null)).isFalse();
    }
}
