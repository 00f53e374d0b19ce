package dev.tokentrail.index.mask;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.identity.TokenCases;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Generated bodies: no secret survives masking, whatever the nesting, spelling, encoding or cut.
 * Secrets are written only with the letters Q, X and Z, which no generated key, ordinary value or
 * marker contains, so "no Q, X or Z in the output" means "no secret character in the output".
 */
class MaskingPropertiesTest {

    private static final List<String> SECRET_NAMES = List.of("password", "client_secret", "access_token", "refresh_token",
            "id_token", "code", "code_verifier", "assertion", "secret", "token", "pin", "api_key", "new_password");
    private static final List<String> PLAIN_NAMES = List.of("name", "grant_type", "user", "items", "id", "note", "a",
            "b", "state", "mode", "count");

    private final Fingerprinter fp = Fingerprinter.withKey(new byte[32]);
    private final MaskingPolicy policy = MaskingPolicy.defaults(fp);

    @Property(tries = 400)
    void noSecretFromGeneratedJsonSurvives(@ForAll("json") String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        Body out = policy.body(b, b.length, b.length, "application/json", null);
        assertNoSecret(out.text(), json);
    }

    @Property(tries = 200)
    void noSecretSurvivesAtAnyCut(@ForAll("json") String json, @ForAll @IntRange(min = 0, max = 1000) int where) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        int cut = b.length == 0 ? 0 : where % b.length;
        Body out = policy.body(b, cut, b.length, "application/json", null);
        if (cut > 0) {
            assertNoSecret(out.text(), json.substring(0, Math.min(cut, json.length())));
            assertThat(out.truncated()).isTrue();
        }
    }

    @Property(tries = 300)
    void noSecretFromGeneratedFormsSurvives(@ForAll("form") String form) {
        byte[] b = form.getBytes(StandardCharsets.UTF_8);
        assertNoSecret(policy.body(b, b.length, b.length, "application/x-www-form-urlencoded", null).text(), form);
        assertNoSecret(policy.maskQuery(form), form);
    }

    @Property(tries = 300)
    void maskingNeverThrowsOnArbitraryBytes(@ForAll byte[] bytes, @ForAll("contentTypes") String type,
                                            @ForAll @IntRange(min = -1, max = 5) int extra) {
        Body out = policy.body(bytes, bytes.length, extra < 0 ? -1 : bytes.length + extra, type, null);
        assertThat(out).isNotNull();
        if (out.text() != null) {
            // bounded: markers may be longer than what they replace, but only by a constant factor
            assertThat(out.text().length()).isLessThanOrEqualTo(bytes.length * 24 + 64);
        }
    }

    @Property(tries = 300)
    void maskingNeverThrowsOnArbitraryText(@ForAll("hostileText") String s, @ForAll("contentTypes") String type) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        assertThat(policy.body(b, b.length, b.length, type, null)).isNotNull();
        assertThat(policy.maskQuery(s)).isNotNull();
    }

    @Property(tries = 300)
    void storedHeadersNeverContainControlCharacters(@ForAll("hostileText") String name, @ForAll("hostileText") String value) {
        if (name.isEmpty()) {
            return;
        }
        for (Header h : policy.maskHeaders(List.of(new Header(name, value), new Header("Authorization", value),
                new Header("Cookie", value)))) {
            assertThat((h.name() + h.value()).chars().noneMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)).isTrue();
        }
    }

    @Property(tries = 200)
    void jwtsInTextNeverSurvive(@ForAll("words") List<String> words, @ForAll("jwts") String jwt,
                                @ForAll @IntRange(min = 0, max = 20) int at) {
        List<String> w = new ArrayList<>(words);
        w.add(Math.min(at, w.size()), jwt);
        String text = String.join(" ", w);
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        String out = policy.body(b, b.length, b.length, "text/plain", null).text();
        assertThat(out).doesNotContain(jwt).contains(fp.reference(jwt));
    }

    // --- generators -------------------------------------------------------------------------------

    private static void assertNoSecret(String out, String in) {
        if (out == null) {
            return;
        }
        assertThat(out.chars().noneMatch(c -> c == 'Q' || c == 'X' || c == 'Z'))
                .as("masked %s%n   into %s", in, out).isTrue();
    }

    private static Arbitrary<String> secretValue() {
        return Arbitraries.strings().withChars("QXZ").ofMinLength(1).ofMaxLength(12);
    }

    /** Secrets with characters that delimit things elsewhere (markers, pairs, headers), for JSON strings. */
    private static Arbitrary<String> richSecretValue() {
        return Arbitraries.strings().withChars("QXZ«»:=, ;&<>").ofMinLength(1).ofMaxLength(12);
    }

    private static Arbitrary<String> plainValue() {
        return Arbitraries.strings().withChars("abcdefghijklmnop 0123456789-_.").ofMaxLength(10);
    }

    /** A sensitive name in some case, with some separators, sometimes with JSON \\u escapes. */
    private static Arbitrary<String> secretJsonKey() {
        return Combinators.combine(Arbitraries.of(SECRET_NAMES), Arbitraries.integers().between(0, 3),
                Arbitraries.longs()).as((name, style, seed) -> {
                    String n = switch (style) {
                        case 0 -> name;
                        case 1 -> name.toUpperCase();
                        case 2 -> camel(name);
                        default -> name.replace('_', '-');
                    };
                    if ((seed & 1) == 1) {
                        int i = (int) ((seed >>> 1) % n.length());
                        n = n.substring(0, i) + String.format("\\u%04x", (int) n.charAt(i)) + n.substring(i + 1);
                    }
                    return n;
                });
    }

    private static String camel(String s) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : s.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    @Provide
    Arbitrary<String> json() {
        return node(4);
    }

    private Arbitrary<String> node(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(plainValue().map(v -> "\"" + v + "\""),
                Arbitraries.integers().map(String::valueOf), Arbitraries.of("true", "false", "null", "1e400", "-0.5"));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> child = Arbitraries.lazy(() -> node(depth - 1));
        Arbitrary<String> secretEntry = Combinators.combine(secretJsonKey(), Arbitraries.oneOf(
                richSecretValue().map(v -> "\"" + v + "\""),
                secretValue().map(v -> "{\"k\":\"" + v + "\",\"l\":[\"" + v + "\"]}"),
                secretValue().map(v -> "[\"" + v + "\",{\"z\":1}]"),
                secretValue().map(v -> "\"text password=" + v + " more\""),
                secretValue().map(v -> "\"text secret: «" + v + "» more\""))).as((k, v) -> "\"" + k + "\":" + v);
        Arbitrary<String> plainEntry = Combinators.combine(Arbitraries.of(PLAIN_NAMES), child)
                .as((k, v) -> "\"" + k + "\":" + v);
        // Secrets inside ordinary text, under ordinary names: only pattern masking can find these.
        Arbitrary<String> embedded = Combinators.combine(Arbitraries.of(PLAIN_NAMES), secretValue(),
                Arbitraries.of("password=%s&x=1", "client_secret: %s, ok", "secret: «%s» more", "pin=«%s",
                        "{\\\"password\\\":\\\"%s\\\"}", "Authorization: Bearer %s"))
                .as((k, v, shape) -> "\"" + k + "\":\"" + String.format(shape, v) + "\"");
        Arbitrary<String> object = Arbitraries.oneOf(secretEntry, plainEntry, embedded).list().ofMaxSize(5)
                .map(l -> "{" + String.join(",", l) + "}");
        Arbitrary<String> array = child.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, scalar), net.jqwik.api.Tuple.of(3, object), net.jqwik.api.Tuple.of(1, array));
    }

    @Provide
    Arbitrary<String> form() {
        Arbitrary<String> secretKey = Combinators.combine(Arbitraries.of(SECRET_NAMES), Arbitraries.integers().between(0, 3))
                .as((n, style) -> switch (style) {
                    case 0 -> n;
                    case 1 -> n.toUpperCase();
                    case 2 -> percentEncodeAll(n);
                    default -> n.replace("_", "%5F");
                });
        Arbitrary<String> secretPair = Combinators.combine(secretKey, secretValue(), Arbitraries.of("", "%20", "+"))
                .as((k, v, pad) -> k + "=" + pad + v);
        Arbitrary<String> plainPair = Combinators.combine(Arbitraries.of(PLAIN_NAMES), plainValue())
                .as((k, v) -> k + "=" + v.replace(" ", "+"));
        return Arbitraries.oneOf(secretPair, plainPair).list().ofMaxSize(6).map(l -> String.join("&", l));
    }

    private static String percentEncodeAll(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append('%').append(String.format("%02X", (int) c));
        }
        return b.toString();
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of(null, "application/json", "text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=b", "multipart/form-data", "application/xml", "application/octet-stream",
                "text/plain; charset=utf-16", "text/plain; charset=bogus", "image/png", "application/x-unknown");
    }

    @Provide
    Arbitrary<String> hostileText() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().withChars("{}[]\"':,=&;\\ \r\n\u0000eyJ.pasword-_%+«»<>/").ofMaxLength(200));
    }

    @Provide
    Arbitrary<List<String>> words() {
        return Arbitraries.strings().withChars("abcdefgh.,:;()").ofMinLength(1).ofMaxLength(8).list().ofMaxSize(10);
    }

    @Provide
    Arbitrary<String> jwts() {
        return Arbitraries.strings().alpha().numeric().ofMaxLength(30)
                .map(s -> TokenCases.jwt("{\"jti\":\"" + s + "\",\"sub\":\"u\"}"));
    }
}
