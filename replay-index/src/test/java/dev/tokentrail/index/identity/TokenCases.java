package dev.tokentrail.index.identity;

/**
 * The bearer values of the shared test cases (tokens.md T1-T17), as test inputs. Public so the
 * masking tests present the same tokens in headers, queries and bodies.
 */
public final class TokenCases {

    /** Keycloak 26 access token (jti has a type prefix). */
    public static final String T1 = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJleHAiOjE3NjQ4MDAwMDAsImlhdCI6MTc2NDc5OTcwMCwi"
            + "anRpIjoib25ydHJvOjBmMmQ2YzFlLThiMWEtNGM1NS05ZTBmLTFjMmIzYTRkNWU2ZiIsImlzcyI6Imh0dHA6Ly8xMjcuMC4wLjE6"
            + "ODE4MC9yZWFsbXMvc2hvcCIsImF1ZCI6ImFjY291bnQiLCJzdWIiOiI1ZGNmNzY1Yy1jMGQ5LTRmNzUtOTMwZi1iNzQwOWFhNzRl"
            + "OTMiLCJ0eXAiOiJCZWFyZXIiLCJhenAiOiJzaG9wLXdlYiIsInNpZCI6IkFwaHptQVJmbWxvRzRtRGs1ZXQwTzVsYiIsInNjb3Bl"
            + "Ijoib3BlbmlkIHByb2ZpbGUgZW1haWwiLCJwcmVmZXJyZWRfdXNlcm5hbWUiOiJhbGljZSJ9.c2lnLWJ5dGVzLW5vdC12ZXJpZml"
            + "lZA";
    /** Keycloak lightweight access token: no sub, no aud. */
    public static final String T2 = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJleHAiOjE3NjQ4MDAwMDAsImlhdCI6MTc2NDc5OTcwMCwi"
            + "anRpIjoib25sdHJvOmQxOGUyMTBhLTJkMjUtMWRjYS0yODJlLWQzMGZkZDNhNDQ1MiIsImlzcyI6Imh0dHA6Ly8xMjcuMC4wLjE6"
            + "ODE4MC9yZWFsbXMvc2hvcCIsInR5cCI6IkJlYXJlciIsImF6cCI6InNob3Atd2ViIiwic2lkIjoiQXBoem1BUmZtbG9HNG1EazVl"
            + "dDBPNWxiIiwic2NvcGUiOiJvcGVuaWQgcHJvZmlsZSBlbWFpbCJ9.c2lnLWJ5dGVzLW5vdC12ZXJpZmllZA";
    /** client-credentials token: no sid. */
    public static final String T3 = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJleHAiOjE3NjQ4MDAwMDAsImlhdCI6MTc2NDc5OTcwMCwi"
            + "anRpIjoidHJydGNjOjlkYmEyNGQxLWI4MTctMzVmYi0zZTNlLTQyNGNiZWVjNjhkZiIsImlzcyI6Imh0dHA6Ly8xMjcuMC4wLjE6"
            + "ODE4MC9yZWFsbXMvc2hvcCIsInN1YiI6IjFhNWRlNjhhLWYwYTgtNDc1Yi1hMGY1LWZlYmU4ZGE3YzcwMCIsInR5cCI6IkJlYXJl"
            + "ciIsImF6cCI6ImJpbGxpbmctam9iIiwiY2xpZW50X2lkIjoiYmlsbGluZy1qb2IiLCJzY29wZSI6InByb2ZpbGUifQ.c2lnLWJ5d"
            + "GVzLW5vdC12ZXJpZmllZA";
    /** RFC 7519 section 3.1 example (CRLF inside the header and payload JSON, custom URI claim). */
    public static final String T4 = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9"
            + "leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    /** alg none, empty signature. */
    public static final String T5 = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJtYWxsb3J5IiwianRpIjoiZm9yZ2VkLTEiLCJleHAiOjE3NjQ4MDAw"
            + "MDB9.";
    /** multi-valued aud. */
    public static final String T6 = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJleHAiOjE3NjQ4MDAwMDAsImlhdCI6MTc2NDc5OTcwMCwi"
            + "anRpIjoib25ydHJvOjBmMmQ2YzFlLThiMWEtNGM1NS05ZTBmLTFjMmIzYTRkNWU2ZiIsImlzcyI6Imh0dHA6Ly8xMjcuMC4wLjE6"
            + "ODE4MC9yZWFsbXMvc2hvcCIsImF1ZCI6WyJhY2NvdW50Iiwib3JkZXJzLWFwaSJdLCJzdWIiOiI1ZGNmNzY1Yy1jMGQ5LTRmNzUt"
            + "OTMwZi1iNzQwOWFhNzRlOTMiLCJ0eXAiOiJCZWFyZXIiLCJhenAiOiJzaG9wLXdlYiIsInNpZCI6IkFwaHptQVJmbWxvRzRtRGs1"
            + "ZXQwTzVsYiIsInNjb3BlIjoib3BlbmlkIHByb2ZpbGUgZW1haWwiLCJwcmVmZXJyZWRfdXNlcm5hbWUiOiJhbGljZSJ9.c2lnLWJ"
            + "5dGVzLW5vdC12ZXJpZmllZA";
    /** claims of the wrong types. */
    public static final String T7 = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJqdGkiOjEyMzQ1LCJleHAiOiIxNzY0ODAwMDAwIiwiaWF0"
            + "IjoxNzY0Nzk5NzAwLjAsInNpZCI6bnVsbCwic3ViIjp7Im5lc3RlZCI6IngifX0.c2lnLWJ5dGVzLW5vdC12ZXJpZmllZA";
    /** payload is a JSON array, not an object. */
    public static final String T8 = "eyJhbGciOiAiUlMyNTYiLCAidHlwIjogIkpXVCIsICJraWQiOiAiazEifQ.WzEsMiwzXQ.c2ln";
    /** payload segment is not JSON. */
    public static final String T9 = "eyJhbGciOiAiUlMyNTYiLCAidHlwIjogIkpXVCIsICJraWQiOiAiazEifQ.aGVsbG8gd29ybGQ.c2ln";
    /** invalid base64url characters. */
    public static final String T10 = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOi!!!notbase64.c2ln";
    /** standard base64 with padding and +/ instead of base64url. */
    public static final String T11 = "eyJhbGciOiAiUlMyNTYiLCAidHlwIjogIkpXVCIsICJraWQiOiAiazEifQ==.eyJzdWIiOiAiYT8+YiIsICJqdGkiOiAicCthZC9"
            + "kZWQifQ==.c2ln";
    /** five segments (JWE compact form). */
    public static final String T12 = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckC"
            + "L9kiMT03JGeipsEdY3mx_etLbbWSrFr05kLzcSr4qKAq7YN7e9jwQRb23nfa6c9d-StnImGyFDbSv04uVuxIp5Zms1gNxKKK2Da1"
            + "4B8S4rzVRltdYwam_lDp5XnZAYpQdb76FdIKLaVmqgfwX7XWRxv2322i-vDxRfqNzo_tETKzpVLzfiwQyeyPGLBIO56YJ7eObdv0"
            + "je81860ppamavo35UgoRdbYaBcoh9QcfylQr66oc6vFWXRcZ_ZT2LawVCWTIy3brGPi6UklfCpIMfIjf7iGdXKHzg.48V1_ALb6U"
            + "S04U3b.5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6jiSdiwkIr3ajwQzaBtQD_A.XFBoMYUZ"
            + "odetZdvTiFvSkQ";
    /** payload with invalid UTF-8 bytes. */
    public static final String T16 = "eyJhbGciOiAiUlMyNTYiLCAidHlwIjogIkpXVCIsICJraWQiOiAiazEifQ.eyJzdWIiOiL__iJ9.c2ln";
    /** Unicode in claims. */
    public static final String T17 = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJqdGkiOiLDvC3inJMt8J-YgCIsInN1YiI6IueUqOaItyJ9"
            + ".c2lnLWJ5dGVzLW5vdC12ZXJpZmllZA";
    /** T14: two dots, empty segments. */
    public static final String T14 = "..";
    /** T15: whitespace only. */
    public static final String T15 = "   ";

    private TokenCases() {
    }

    /** T13: header as T1, payload {"jti":"big","pad":"A" x 100,000}, a fake signature. */
    public static String t13() {
        String header = T1.substring(0, T1.indexOf('.'));
        String payload = "{\"jti\":\"big\",\"pad\":\"" + "A".repeat(100_000) + "\"}";
        return header + "." + b64(payload) + ".c2ln";
    }

    /** An unsigned-looking JWS with the given payload JSON (the signature segment is fake). */
    public static String jwt(String payloadJson) {
        return b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + b64(payloadJson) + ".c2lnbmF0dXJl";
    }

    static String b64(String s) {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
