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
import io.gravitee.apim.gateway.tests.sdk.annotations.DeployOrganization;
import io.gravitee.apim.gateway.tests.sdk.annotations.GatewayTest;
import io.gravitee.apim.gateway.tests.sdk.policy.PolicyBuilder;
import io.gravitee.gateway.api.service.Subscription;
import io.gravitee.gateway.api.service.SubscriptionService;
import io.gravitee.plugin.policy.PolicyPlugin;
import io.gravitee.policy.jwt.JWTPolicy;
import io.gravitee.policy.jwt.configuration.JWTPolicyConfiguration;
import io.vertx.rxjava3.core.http.HttpClient;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The policy in an organization (platform) flow, in front of an API whose JWT plan rejects bad
 * tokens before any API flow runs: the rejections are exactly what forensics needs, and only a
 * platform flow sees them.
 */
@GatewayTest
@DeployOrganization(organization = "/organizations/tokentrail-org.json", apis = {"/apis/jwt-guarded.json"})
class OrganizationFlowCaptureGatewayTest extends CaptureGatewayTestBase {

    @Override
    public void configurePolicies(Map<String, PolicyPlugin> policies) {
        policies.put("jwt", PolicyBuilder.build("jwt", JWTPolicy.class, JWTPolicyConfiguration.class));
    }

    @BeforeEach
    void aSubscriptionExistsForTheClient() {
        Subscription subscription = new Subscription();
        subscription.setId("sub-shop-web");
        subscription.setApplication("app-shop-web");
        subscription.setPlan("jwt-guarded-plan");
        when(getBean(SubscriptionService.class).getByApiAndSecurityToken(any(), any(), any()))
                .thenReturn(Optional.of(subscription));
    }

    @Test
    void a_forged_token_rejected_by_the_plan_is_recorded_with_its_identity(HttpClient client) {
        wiremock.stubFor(get(urlPathEqualTo("/backend/orders")).willReturn(aResponse().withStatus(200)));

        Reply reply = fetch(client, "/guarded/orders", Map.of("Authorization", "Bearer " + TestTokens.FORGED_JWT,
                "X-Forwarded-For", "198.51.100.23"));

        assertThat(reply.status()).isEqualTo(401);
        wiremock.verify(0, getRequestedFor(urlPathEqualTo("/backend/orders")));
        Exchange e = awaitExchange(reply.requestId());
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.path()).isEqualTo("/guarded/orders");
        assertThat(e.forwardedFor()).containsExactly("198.51.100.23");
        assertThat(e.tokens()).hasSize(1);
        TokenIdentity forged = e.token();
        assertThat(forged.fingerprint()).isNotBlank();
        assertThat(forged.jti()).isEqualTo("jti-forged-0666"); // decoded, not trusted: the plan said 401
        assertThat(forged.sub()).isEqualTo("mallory-0666");
        CapturePolicyGatewayTest.assertNoRawSecret(e);
    }

    @Test
    void a_request_without_a_token_rejected_by_the_plan_is_recorded(HttpClient client) {
        Reply reply = fetch(client, "/guarded/orders", Map.of());

        assertThat(reply.status()).isEqualTo(401);
        Exchange e = awaitExchange(reply.requestId());
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.tokens()).isEmpty();
    }

    @Test
    void an_accepted_token_is_recorded_once_with_its_fingerprint_and_claims(HttpClient client) {
        wiremock.stubFor(get(urlPathEqualTo("/backend/orders")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("[]")));

        Reply reply = fetch(client, "/guarded/orders", Map.of("Authorization", "Bearer " + TestTokens.ALICE_JWT));

        assertThat(reply.status()).isEqualTo(200);
        Exchange e = awaitExchange(reply.requestId());
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.plan()).isEqualTo("jwt-guarded-plan");
        // Seen twice (header before the plan, claims after it), recorded once.
        assertThat(e.tokens()).hasSize(1);
        assertThat(e.token().fingerprint()).isNotBlank();
        assertThat(e.token().jti()).isEqualTo("jti-alice-0001");
        CapturePolicyGatewayTest.assertNoRawSecret(e);
    }
}
