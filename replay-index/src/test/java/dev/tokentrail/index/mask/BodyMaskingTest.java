package dev.tokentrail.index.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.identity.TokenCases;
import dev.tokentrail.index.model.Body;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The body cases of bodies.md (B1-B17) and the neighbours a security reviewer would try next. */
class BodyMaskingTest {

    private final Fingerprinter fp = Fingerprinter.withKey("body-masking-test-key-0123456789".getBytes());
    private final MaskingPolicy policy = MaskingPolicy.defaults(fp);

    private Body body(String text, String contentType) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return policy.body(b, b.length, b.length, contentType, null);
    }

    private String json(String text) {
        Body b = body(text, "application/json");
        assertThat(b.form()).isEqualTo(Body.Form.TEXT);
        return b.text();
    }

    // --- JSON ------------------------------------------------------------------------------------

    @Test
    void b1PasswordMaskedUsernameKept() {
        assertThat(json("{\"username\":\"alice\",\"password\":\"S3cret!\"}"))
                .isEqualTo("{\"username\":\"alice\",\"password\":\"«masked:password»\"}");
    }

    @Test
    void b2ClientSecretMasked() {
        assertThat(json("{\"client_id\":\"shop-web\",\"client_secret\":\"9f8e7d\",\"grant_type\":\"client_credentials\"}"))
                .isEqualTo("{\"client_id\":\"shop-web\",\"client_secret\":\"«masked:client_secret»\","
                        + "\"grant_type\":\"client_credentials\"}");
    }

    @Test
    void b3NestedAndInArraysCaseInsensitive() {
        String out = json("{\"users\":[{\"name\":\"a\",\"Password\":\"x\"},{\"name\":\"b\",\"creds\":{\"PASSWORD\":\"y\"}}]}");
        assertThat(out).isEqualTo("{\"users\":[{\"name\":\"a\",\"Password\":\"«masked:Password»\"},"
                + "{\"name\":\"b\",\"creds\":{\"PASSWORD\":\"«masked:PASSWORD»\"}}]}");
    }

    @Test
    void b4EscapedKeyIsDecodedBeforeMatching() {
        assertThat(json("{\"pass\\u0077ord\":\"hunter2\"}")).doesNotContain("hunter2").contains("«masked:password»");
    }

    @Test
    void separatorAndCaseVariantsOfANameAreTheSameName() {
        String out = json("{\"clientSecret\":\"a1\",\"Client-Secret\":\"a2\",\"new_password\":\"a3\",\"refreshToken\":\"a4\","
                + "\"user\":{\"pwd\":\"a5\"},\"code_verifier\":\"a6\",\"otp\":123456,\"state\":\"keep\"}");
        assertThat(out).doesNotContain("a1", "a2", "a3", "a4", "a5", "a6", "123456").contains("\"state\":\"keep\"");
    }

    @Test
    void aSensitiveObjectOrArrayIsMaskedWhole() {
        assertThat(json("{\"credentials\":{\"user\":\"u\",\"key\":[1,{\"k\":\"deep\"}]},\"after\":1}"))
                .isEqualTo("{\"credentials\":\"«masked:credentials»\",\"after\":1}");
    }

    @Test
    void b5JwtInsideAValueBecomesItsReferenceAndTheTextStays() {
        String jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
        assertThat(json("{\"note\":\"use " + jwt + " please\"}"))
                .isEqualTo("{\"note\":\"use " + fp.reference(jwt) + " please\"}");
    }

    @Test
    void aJwtUnderATokenNameBecomesTheSameReferenceAsInAnAuthorizationHeader() {
        // A token endpoint response: the issued token is linkable to its later use by fingerprint.
        String out = json("{\"access_token\":\"" + TokenCases.T1 + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        assertThat(out).isEqualTo("{\"access_token\":\"" + fp.reference(TokenCases.T1)
                + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
    }

    @Test
    void aJwtAsAFieldNameIsReplacedToo() {
        assertThat(json("{\"" + TokenCases.T5 + "\":1}")).isEqualTo("{\"" + fp.reference(TokenCases.T5) + "\":1}");
    }

    @Test
    void b6CutInsideASecretValueMasksThePartialValueAndMarksTruncated() {
        byte[] b = "{\"a\":1,\"password\":\"abcdef".getBytes(StandardCharsets.UTF_8);
        Body out = policy.body(b, b.length, 4096, "application/json", null);
        assertThat(out.text()).doesNotContain("abcdef", "abc").contains("«masked:password»").startsWith("{\"a\":1");
        assertThat(out.truncated()).isTrue();
        assertThat(out.originalSize()).isEqualTo(4096);
    }

    @Test
    void cutInsideAnOrdinaryValueKeepsItsPrefix() {
        byte[] b = "{\"a\":{\"note\":\"hello wor".getBytes(StandardCharsets.UTF_8);
        Body out = policy.body(b, b.length, 100, "application/json", null);
        assertThat(out.text()).isEqualTo("{\"a\":{\"note\":\"hello wor");
        assertThat(out.truncated()).isTrue();
    }

    @Test
    void cutInsideASecretKeyOrRightAfterItLeaksNothing() {
        String full = "{\"x\":\"y\",\"client_secret\":\"TOPSECRETVALUE\",\"z\":1}";
        for (int cut = 1; cut < full.length(); cut++) {
            byte[] b = full.substring(0, cut).getBytes(StandardCharsets.UTF_8);
            Body out = policy.body(b, b.length, full.length(), "application/json", null);
            assertThat(out.text()).as("cut at %d", cut).doesNotContain("TOPS");
            assertThat(out.truncated()).isTrue();
        }
    }

    @Test
    void cutInsideAMultiByteCharacterDropsTheHalfCharacter() {
        byte[] full = "{\"name\":\"Zoë\"}".getBytes(StandardCharsets.UTF_8);
        int cut = "{\"name\":\"Zo".length() + 1; // inside the two bytes of ë
        Body out = policy.body(Arrays.copyOf(full, cut), cut, full.length, "application/json", null);
        assertThat(out.text()).isEqualTo("{\"name\":\"Zo");
    }

    @Test
    void b7DepthBombIsSummarizedWithoutStackOverflow() {
        String bomb = "[".repeat(100_000);
        Body out = body(bomb, "application/json");
        assertThat(out.truncated()).isTrue();
        assertThat(out.text()).startsWith("[[[").contains("«truncated:nested deeper than 64»");
        assertThat(out.text().length()).isLessThan(200);
    }

    @Test
    void secretsBeyondTheDepthLimitAreDroppedNotLeaked() {
        String deep = "[".repeat(70) + "{\"password\":\"DEEPSECRET\"}" + "]".repeat(70);
        Body out = body(deep, "application/json");
        assertThat(out.text()).doesNotContain("DEEPSECRET");
        assertThat(out.truncated()).isTrue();
    }

    @Test
    void depthWithinTheLimitIsKept() {
        String ok = "[".repeat(60) + "{\"password\":\"x\",\"k\":\"v\"}" + "]".repeat(60);
        Body out = body(ok, "application/json");
        assertThat(out.truncated()).isFalse();
        assertThat(out.text()).isEqualTo("[".repeat(60) + "{\"password\":\"«masked:password»\",\"k\":\"v\"}" + "]".repeat(60));
    }

    @Test
    void b8BigAndOddNumbersAreKeptAsText() {
        String in = "{\"amount\":1e400,\"id\":123456789012345678901234567890,\"x\":NaN,\"y\":-0.000000000000000000001}";
        assertThat(json(in)).isEqualTo(in);
    }

    @Test
    void b9DuplicateKeysAreBothMasked() {
        assertThat(json("{\"password\":\"a\",\"password\":\"b\"}"))
                .isEqualTo("{\"password\":\"«masked:password»\",\"password\":\"«masked:password»\"}");
    }

    @Test
    void b10NotJsonAlthoughDeclaredJsonFallsBackToPatternMasking() {
        Body out = body("password=oops", "application/json");
        assertThat(out.text()).isEqualTo("password=«masked:password»");
        assertThat(out.truncated()).isFalse();
    }

    @Test
    void brokenJsonKeepsTheParsedPartAndPatternMasksTheRest() {
        String out = json("{\"a\":1 \"password\":\"oops\", \"pass\\u0077d\":\"two\"}");
        assertThat(out).startsWith("{\"a\":1").doesNotContain("oops", "two");
    }

    @Test
    void lenientJsonShapesAreStillMaskedStructurally() {
        assertThat(json("{'password':'single', secret: bare, /* c */ \"k\":[1,2,],}"))
                .doesNotContain("single", "bare");
        assertThat(json("{\"a\":1}\n{\"password\":\"ndjson\"}")).doesNotContain("ndjson");
    }

    @Test
    void jsonWithNothingToMaskIsKeptAsSentFormattingIncluded() {
        String sent = "{\n  \"order\" : {\"id\": \"ord-1\", \"qty\": 1.50e2},\n  \"tags\": [ \"a\", null, true ]\n}\n";
        assertThat(json(sent)).isEqualTo(sent);
    }

    @Test
    void prettyJsonWithASecretIsStillMaskedStructurally() {
        String out = json("{\n  \"user\": \"alice\",\n  \"password\": \"S3cret!\"\n}");
        assertThat(out).doesNotContain("S3cret!").contains("\"password\":\"«masked:password»\"").contains("alice");
    }

    @Test
    void aSecretInsideAJsonCommentIsNotKeptBecauseTheRestIsClean() {
        // Comments are invisible to the token checks, so such a body never keeps its original text.
        String out = json("{\"a\": 1 /* password=hunter2 */, \"b\": \"x\"} // token=abc");
        assertThat(out).doesNotContain("hunter2").doesNotContain("abc").contains("\"b\":\"x\"");
    }

    @Test
    void aCleanLookingBodyCutAtTheLimitTakesTheFullPass() {
        byte[] b = "{\"items\":[1,2,3],\"next\":\"abc\"}".getBytes(StandardCharsets.UTF_8);
        Body cut = policy.body(b, 20, b.length, "application/json", null);
        assertThat(cut.text()).startsWith("{\"items\":[1,2,3]");
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.originalSize()).isEqualTo(b.length);
    }

    @Test
    void nullAndEmptySecretsStayAsTheyAre() {
        assertThat(json("{\"password\":null,\"secret\":\"\"}")).isEqualTo("{\"password\":null,\"secret\":\"\"}");
    }

    @Test
    void sensitiveNumbersAndBooleansAreMasked() {
        assertThat(json("{\"pin\":1234,\"otp\":true}")).isEqualTo("{\"pin\":\"«masked:pin»\",\"otp\":\"«masked:otp»\"}");
    }

    @Test
    void passwordPatternsInsideOrdinaryStringsAreMasked() {
        assertThat(json("{\"log\":\"retry with password=hunter2&user=bob\"}"))
                .isEqualTo("{\"log\":\"retry with password=«masked:password»&user=bob\"}");
    }

    @Test
    void jsonWithoutContentTypeIsSniffed() {
        Body out = body(" {\"password\":\"p\"}", null);
        assertThat(out.text()).isEqualTo("{\"password\":\"«masked:password»\"}");
    }

    @Test
    void vendorJsonTypesAreJson() {
        assertThat(body("{\"password\":\"p\"}", "application/vnd.api+json; charset=utf-8").text())
                .isEqualTo("{\"password\":\"«masked:password»\"}");
    }

    // --- forms, multipart, query ----------------------------------------------------------------

    @Test
    void b11FormPasswordAndClientSecretMaskedOthersKept() {
        Body out = body("grant_type=password&username=alice&password=S3cret%21&client_secret=abc",
                "application/x-www-form-urlencoded");
        assertThat(out.text()).isEqualTo("grant_type=password&username=alice&password=«masked:password»"
                + "&client_secret=«masked:client_secret»");
    }

    @Test
    void b12PercentEncodedKeyIsDecodedBeforeMatching() {
        assertThat(body("pass%77ord=hunter2", "application/x-www-form-urlencoded").text())
                .isEqualTo("pass%77ord=«masked:password»");
        assertThat(body("pass+word=x&Pass%2DWord=y", "application/x-www-form-urlencoded").text())
                .isEqualTo("pass+word=«masked:password»&Pass%2DWord=«masked:Pass-Word»");
    }

    @Test
    void aRefreshTokenGrantKeepsTheTokenLinkable() {
        String out = body("grant_type=refresh_token&refresh_token=" + TokenCases.T1 + "&client_id=shop-web",
                "application/x-www-form-urlencoded").text();
        assertThat(out).isEqualTo("grant_type=refresh_token&refresh_token=" + fp.reference(TokenCases.T1)
                + "&client_id=shop-web");
    }

    @Test
    void secretsInsideEncodedValuesAreFound() {
        String out = body("redirect=https%3A%2F%2Fapp%2Fcb%3Fcode%3DSplxlOBe%26state%3Dx&x=1",
                "application/x-www-form-urlencoded").text();
        assertThat(out).doesNotContain("SplxlOBe").contains("«masked:code»").endsWith("&x=1");
    }

    @Test
    void b13MultipartTextPartMaskedFilePartSummarized() {
        byte[] file = new byte[3000];
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) (i * 7);
        }
        byte[] b = multipart("XyZ",
                part("form-data; name=\"username\"", null, "alice".getBytes()),
                part("form-data; name=\"password\"", null, "S3cret!".getBytes()),
                part("form-data; name=\"avatar\"; filename=\"me.png\"", "image/png", file),
                part("form-data; name=\"meta\"", "application/json", "{\"client_secret\":\"cs\",\"k\":1}".getBytes()));
        Body out = policy.body(b, b.length, b.length, "multipart/form-data; boundary=XyZ", null);
        assertThat(out.form()).isEqualTo(Body.Form.TEXT);
        assertThat(out.text())
                .contains("name=\"username\"\r\n\r\nalice")
                .contains("name=\"password\"\r\n\r\n«masked:password»")
                .doesNotContain("S3cret")
                .contains("name=\"avatar\"; filename=\"me.png\"\r\nContent-Type: image/png\r\n\r\n«file:3000 bytes»")
                .contains("{\"client_secret\":\"«masked:client_secret»\",\"k\":1}")
                .endsWith("--XyZ--");
        assertThat(out.text()).doesNotContain(new String(file, StandardCharsets.ISO_8859_1).substring(0, 40));
    }

    @Test
    void multipartCutInsideASecretPartLeaksNothing() {
        byte[] full = multipart("b0undary",
                part("form-data; name=\"a\"", null, "1".getBytes()),
                part("form-data; name=\"client_secret\"", null, "SECRETSECRETSECRET".getBytes()));
        String s = new String(full, StandardCharsets.ISO_8859_1);
        int secretAt = s.indexOf("SECRETSECRET");
        for (int cut = secretAt + 1; cut < full.length; cut += 3) {
            Body out = policy.body(full, cut, full.length, "multipart/form-data; boundary=\"b0undary\"", null);
            assertThat(out.text()).as("cut %d", cut).doesNotContain("SECRET");
            assertThat(out.truncated()).isTrue();
        }
    }

    @Test
    void multipartWithoutItsBoundaryFallsBackToTextMasking() {
        Body out = body("password=x", "multipart/form-data; boundary=nothere");
        assertThat(out.text()).isEqualTo("password=«masked:password»");
    }

    @Test
    void b14QueryStringCodeAndVerifierMaskedStateKept() {
        assertThat(policy.maskQuery("code=SplxlOBeZQQYbYS6WxSbIA&state=xyz&code_verifier=abc"))
                .isEqualTo("code=«masked:code»&state=xyz&code_verifier=«masked:code_verifier»");
    }

    // --- encodings and binary ---------------------------------------------------------------------

    @Test
    void b15GzipBodyIsNeverDecodedAsText() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("{\"password\":\"gzipped-secret\"}".getBytes(StandardCharsets.UTF_8));
        }
        byte[] b = bytes.toByteArray();
        Body out = policy.body(b, b.length, b.length, "application/json", "gzip");
        assertThat(out.form()).isEqualTo(Body.Form.OMITTED);
        assertThat(out.text()).isNull();
        assertThat(out.originalSize()).isEqualTo(b.length);
        assertThat(out.contentType()).isEqualTo("application/json");
        assertThat(out.contentEncoding()).isEqualTo("gzip");
        // Same bytes with the encoding header lost on the way: still recognized, still not text.
        assertThat(policy.body(b, b.length, b.length, "application/json", null).form()).isEqualTo(Body.Form.OMITTED);
        for (String enc : new String[] {"deflate", "br", "zstd", "gzip, identity", "x-gzip"}) {
            assertThat(policy.body(b, b.length, b.length, "application/json", enc).form()).isEqualTo(Body.Form.OMITTED);
        }
        assertThat(body("{\"a\":1}", "application/json").form()).isEqualTo(Body.Form.TEXT);
        byte[] plain = "{\"a\":1}".getBytes();
        assertThat(policy.body(plain, plain.length, plain.length, "application/json", "identity").text()).isEqualTo("{\"a\":1}");
    }

    @Test
    void b16OctetStreamKeepsOnlySizeAndType() {
        byte[] prefix = new byte[64 * 1024];
        Arrays.fill(prefix, (byte) 'A'); // even text-looking bytes are not stored when declared binary
        long tenMiB = 10L * 1024 * 1024;
        Body out = policy.body(prefix, prefix.length, tenMiB, "application/octet-stream", null);
        assertThat(out.form()).isEqualTo(Body.Form.OMITTED);
        assertThat(out.text()).isNull();
        assertThat(out.originalSize()).isEqualTo(tenMiB);
        assertThat(out.contentType()).isEqualTo("application/octet-stream");
    }

    @Test
    void undeclaredBinaryIsSniffedAndOmitted() {
        byte[] b = {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        assertThat(policy.body(b, b.length, b.length, null, null).form()).isEqualTo(Body.Form.OMITTED);
        byte[] noise = new byte[512];
        new java.util.Random(1).nextBytes(noise);
        noise[0] = 'x';
        assertThat(policy.body(noise, noise.length, noise.length, "application/x-unknown", null).form())
                .isEqualTo(Body.Form.OMITTED);
    }

    @Test
    void b17InvalidUtf8IsReplacedWithoutException() {
        byte[] b = {'o', 'k', ' ', (byte) 0xff, (byte) 0xfe, ' ', 'p', 'a', 's', 's', 'w', 'o', 'r', 'd', '=', 'x'};
        Body out = policy.body(b, b.length, b.length, "text/plain", null);
        assertThat(out.text()).isEqualTo("ok \uFFFD\uFFFD password=«masked:password»");
    }

    @Test
    void declaredCharsetIsHonoured() {
        byte[] b = "name=Zoë".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(policy.body(b, b.length, b.length, "text/plain; charset=ISO-8859-1", null).text()).isEqualTo("name=Zoë");
    }

    @Test
    void textPlainIsPatternMasked() {
        String jwt = TokenCases.T3;
        Body out = body("Authorization: Bearer " + jwt + "\nclient_secret: abc123\nok", "text/plain");
        assertThat(out.text()).isEqualTo("Authorization: Bearer " + fp.reference(jwt)
                + "\nclient_secret: «masked:client_secret»\nok");
    }

    @Test
    void xmlSecretElementsAreMasked() {
        String soap = "<wsse:UsernameToken><wsse:Username>bob</wsse:Username>"
                + "<wsse:Password Type=\"#PasswordText\">s3cr3t</wsse:Password></wsse:UsernameToken>";
        String out = body(soap, "application/soap+xml").text();
        assertThat(out).doesNotContain("s3cr3t").contains("<wsse:Username>bob</wsse:Username>")
                .contains(">«masked:Password»</wsse:Password>");
    }

    @Test
    void htmlCodeElementsAreNotTakenForOAuthCodes() {
        assertThat(body("<p><code>x = 1</code></p>", "text/html").text()).isEqualTo("<p><code>x = 1</code></p>");
    }

    @Test
    void emptyAndUncapturedBodies() {
        assertThat(policy.body(new byte[0], 0, 0, null, null)).isEqualTo(Body.NONE);
        Body notCaptured = policy.body(new byte[0], 0, 5000, "application/json", null);
        assertThat(notCaptured.form()).isEqualTo(Body.Form.OMITTED);
        assertThat(notCaptured.originalSize()).isEqualTo(5000);
        assertThat(policy.body(null, 10, -1, null, null).form()).isEqualTo(Body.Form.NONE);
    }

    @Test
    void lengthBeyondTheArrayAndUnknownSizeAreTolerated() {
        byte[] b = "{\"a\":1}".getBytes();
        Body out = policy.body(b, 1000, -1, "application/json", null);
        assertThat(out.text()).isEqualTo("{\"a\":1}");
        assertThat(out.originalSize()).isEqualTo(-1);
        assertThat(out.truncated()).isFalse();
    }

    @Test
    void contentTypeItselfIsEscapedAndBounded() {
        byte[] b = "x".getBytes();
        Body out = policy.body(b, 1, 1, "text/plain\r\nX-Injected: 1" + "a".repeat(1000), null);
        assertThat(out.contentType()).doesNotContain("\r", "\n").startsWith("text/plain\\r\\nX-Injected: 1");
        assertThat(out.contentType().length()).isLessThan(300);
    }

    @Test
    void cardNumbersAreOffByDefaultAndMaskedWhenEnabled() {
        String text = "card 4111 1111 1111 1111 ts 1764800000000 id 4111111111111112";
        assertThat(body(text, "text/plain").text()).isEqualTo(text);
        MaskingPolicy cards = policy.toBuilder().cardNumbers(true).build();
        byte[] b = text.getBytes();
        assertThat(cards.body(b, b.length, b.length, "text/plain", null).text())
                .isEqualTo("card «masked:card» ts 1764800000000 id 4111111111111112");
        byte[] j = "{\"pan\":\"4111-1111-1111-1111\",\"n\":5500000000000004}".getBytes();
        assertThat(cards.body(j, j.length, j.length, "application/json", null).text())
                .isEqualTo("{\"pan\":\"«masked:card»\",\"n\":5500000000000004}"); // numbers are numbers, not text
    }

    @Test
    void extraFieldsFromConfigurationAreMasked() {
        MaskingPolicy custom = policy.with(java.util.List.of(), java.util.List.of("ssn"));
        byte[] b = "{\"ssn\":\"123-45-6789\",\"name\":\"x\"}".getBytes();
        assertThat(custom.body(b, b.length, b.length, "application/json", null).text())
                .isEqualTo("{\"ssn\":\"«masked:ssn»\",\"name\":\"x\"}");
        assertThat(policy.body(b, b.length, b.length, "application/json", null).text()).contains("123-45-6789");
    }

    @Test
    void arbitraryGarbageNeverThrowsForAnyDeclaredType() {
        java.util.Random r = new java.util.Random(7);
        String[] types = {null, "application/json", "text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=a", "application/xml", "application/octet-stream", "image/png"};
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[r.nextInt(300)];
            r.nextBytes(b);
            String type = types[i % types.length];
            assertThatCode(() -> policy.body(b, b.length, b.length + 5, type, null)).doesNotThrowAnyException();
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    private record Part(String disposition, String type, byte[] content) {
    }

    private static Part part(String disposition, String type, byte[] content) {
        return new Part(disposition, type, content);
    }

    private static byte[] multipart(String boundary, Part... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: " + p.disposition() + "\r\n"
                    + (p.type() == null ? "" : "Content-Type: " + p.type() + "\r\n") + "\r\n").getBytes());
            out.writeBytes(p.content());
            out.writeBytes("\r\n".getBytes());
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes());
        return out.toByteArray();
    }
}
