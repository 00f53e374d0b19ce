package dev.tokentrail.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.query.ReplayReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Boots the sandbox's gateway exactly as the sandbox does ({@link GatewayComponent}: the
 * {@code gateway-runner} main over the tests SDK's internals, its own JVM, the plugin zips in
 * {@code plugins/}) and makes one authenticated call through it. The JWKS is served here (an RSA
 * key of this test) instead of by Keycloak, so this stays fast; everything else is the sandbox's.
 * An APIM upgrade that breaks the SDK internals the runner relies on fails here, loudly.
 */
class GatewaySmokeIT {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @Test
    void the_sandbox_gateway_boots_from_its_zips_and_lets_a_valid_jwt_through_to_the_backend() throws Exception {
        Path work = Path.of(System.getProperty("tokentrail.work.dir")).resolveSibling("gateway-smoke");
        Path data = work.resolve("data");
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        HttpServer jwks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        jwks.createContext("/certs", x -> {
            byte[] b = jwks(keys).getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        jwks.start();
        Progress progress = new Progress(new PrintStream(new ByteArrayOutputStream()), false);
        DemoBackend backend = new DemoBackend(Ports.claim("backend", "-", 0));
        GatewayComponent gateway = new GatewayComponent(Path.of(System.getProperty("tokentrail.gateway.runner")),
                GatewayComponent.pluginZips(Path.of(System.getProperty("tokentrail.gateway.plugins"))),
                work.resolve("gateway"), data, "http://127.0.0.1:" + jwks.getAddress().getPort() + "/certs",
                backend.url(), Ports.claim("gateway", "-", 0), work.resolve("logs/gateway.log"));
        try {
            backend.start(progress);
            long t0 = System.nanoTime();
            try {
                gateway.start(progress);
            } catch (Exception e) {
                throw new AssertionError("the sandbox gateway did not start:\n" + gateway.logTail(80), e);
            }
            System.out.printf("sandbox gateway ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            String jwt = sign(keys, "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"smoke\"}",
                    "{\"jti\":\"smoke-jti-1\",\"sub\":\"smoke-user\",\"azp\":\"smoke-client\",\"exp\":"
                            + Instant.now().plusSeconds(300).getEpochSecond() + ",\"iat\":"
                            + Instant.now().getEpochSecond() + "}");

            Http http = new Http();
            Http.Reply denied = http.get(gateway.apiUrl() + "/orders");
            assertThat(denied.status()).as("no token: the JWT plan refuses").isEqualTo(401);
            Http.Reply ok = http.get(gateway.apiUrl() + "/orders", "Authorization", "Bearer " + jwt);
            assertThat(ok.status()).as(gateway.logTail(60)).isEqualTo(200);
            assertThat(ok.body()).contains("o-1001");
            // A multi-MB upload passes end to end: the backend reads the whole body before answering
            // (reading only part of it and answering early made the gateway answer 502).
            String upload = bigOrder(3 * 1024 * 1024);
            Http.Reply created = http.postJson(gateway.apiUrl() + "/orders", upload, "Authorization", "Bearer " + jwt);
            assertThat(created.status()).as(gateway.logTail(60)).isEqualTo(201);
            assertThat(created.json().get("received").asLong()).isEqualTo(upload.length());

            // The capture plugin, loaded from its zip, recorded the call with the token's identity.
            try (ReplayReader reader = ReplayReader.open(data)) {
                Optional<Exchange> found = Optional.empty();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (found.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(250);
                    reader.refresh();
                    found = reader.search(new dev.tokentrail.index.query.SearchQuery(null, java.util.Map.of(), null,
                                    null, false), dev.tokentrail.index.query.PageRequest.first(50)).items().stream()
                            .filter(Exchange.class::isInstance).map(Exchange.class::cast)
                            .filter(e -> e.status() == 200).findFirst();
                }
                assertThat(found).as("a 200 exchange in %s\n%s", data, gateway.logTail(60)).isPresent();
                assertThat(found.get().path()).isEqualTo(GatewayComponent.CONTEXT_PATH + "/orders");
                assertThat(found.get().peer()).startsWith("127.0.0.1");
                assertThat(found.get().tokens()).anyMatch(t -> "smoke-jti-1".equals(t.jti()));
                // The organization (platform) flow also recorded the plan's rejection.
                assertThat(reader.search(new dev.tokentrail.index.query.SearchQuery(null, java.util.Map.of(), null,
                                null, false), dev.tokentrail.index.query.PageRequest.first(50)).items().stream()
                        .filter(Exchange.class::isInstance).map(Exchange.class::cast))
                        .as("the 401 without a token, recorded by the platform flow").anyMatch(e -> e.status() == 401);
            }
            assertThat(data.resolve("gateway-" + GatewayComponent.NODE)).isDirectory();
        } finally {
            gateway.close();
            backend.close();
            jwks.stop(0);
        }
    }

    /** A JSON order of exactly {@code size} ASCII bytes. */
    static String bigOrder(int size) {
        String head = "{\"item\":\"bulk upload\",\"note\":\"";
        return head + "x".repeat(size - head.length() - 2) + "\"}";
    }

    private static String jwks(KeyPair keys) {
        RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
        return "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"smoke\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
                + B64.encodeToString(unsigned(pub.getModulus())) + "\",\"e\":\""
                + B64.encodeToString(unsigned(pub.getPublicExponent())) + "\"}]}";
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static String sign(KeyPair keys, String header, String claims) throws Exception {
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(keys.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(s.sign());
    }
}
