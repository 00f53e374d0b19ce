package dev.tokentrail.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

import dev.tokentrail.index.identity.TokenIdentity;
import dev.tokentrail.index.model.Exchange;
import io.gravitee.apim.gateway.tests.sdk.annotations.DeployApi;
import io.gravitee.apim.gateway.tests.sdk.annotations.GatewayTest;
import io.gravitee.apim.gateway.tests.sdk.policy.PolicyBuilder;
import io.gravitee.gateway.api.service.Subscription;
import io.gravitee.gateway.api.service.SubscriptionService;
import io.gravitee.plugin.policy.PolicyPlugin;
import io.gravitee.policy.jwt.JWTPolicy;
import io.gravitee.policy.jwt.configuration.JWTPolicyConfiguration;
import io.vertx.rxjava3.core.http.HttpClient;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behind the real JWT plan ({@code gravitee-policy-jwt}) configured not to propagate the
 * Authorization header: when the API's flow runs, the header is gone, and the identity must come
 * from the plan's decoded claims.
 */
@GatewayTest
@DeployApi("/apis/jwt-capture.json")
class JwtPlanCaptureGatewayTest extends CaptureGatewayTestBase {

    @Override
    public void configurePolicies(Map<String, PolicyPlugin> policies) {
        policies.put("jwt", PolicyBuilder.build("jwt", JWTPolicy.class, JWTPolicyConfiguration.class));
    }

    @BeforeEach
    void aSubscriptionExistsForTheClient() {
        Subscription subscription = new Subscription();
        subscription.setId("sub-shop-web");
        subscription.setApplication("app-shop-web");
        subscription.setPlan("jwt-capture-plan");
        when(getBean(SubscriptionService.class).getByApiAndSecurityToken(any(), any(), any()))
                .thenReturn(Optional.of(subscription));
    }

    @Test
    void the_identity_comes_from_the_plan_claims_when_the_header_was_not_propagated(HttpClient client) {
        wiremock.stubFor(get(urlPathEqualTo("/backend/me")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"user\":\"alice\"}")));

        Reply reply = fetch(client, "/jwt/me", Map.of("Authorization", "Bearer " + TestTokens.ALICE_JWT));

        assertThat(reply.status()).isEqualTo(200);
        wiremock.verify(getRequestedFor(urlPathEqualTo("/backend/me")).withoutHeader("Authorization"));
        Exchange e = awaitExchange(reply.requestId());
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.plan()).isEqualTo("jwt-capture-plan");
        assertThat(e.application()).isEqualTo("app-shop-web");
        assertThat(e.applicationClientId()).isEqualTo("shop-web");
        assertThat(CapturePolicyGatewayTest.headerNames(e.requestHeaders())).doesNotContain("authorization");
        assertThat(e.tokens()).hasSize(1);
        TokenIdentity alice = e.token();
        assertThat(alice.kind()).isEqualTo(TokenIdentity.Kind.CLAIMS);
        assertThat(alice.jti()).isEqualTo("jti-alice-0001");
        assertThat(alice.sub()).isEqualTo("alice-0001");
        assertThat(alice.sid()).isEqualTo("sess-alice-1");
        assertThat(alice.clientId()).isEqualTo("shop-web");
        assertThat(alice.iss()).isEqualTo("https://idp.test/realms/shop");
        assertThat(alice.exp()).isEqualTo(Instant.ofEpochSecond(4_102_444_800L));
        CapturePolicyGatewayTest.assertNoRawSecret(e);
    }
}
