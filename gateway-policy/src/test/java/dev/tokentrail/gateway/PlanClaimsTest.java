package dev.tokentrail.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokentrail.index.identity.TokenIdentity;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The claims a plan leaves in the context, turned into a token identity: the JWT plan's decoded
 * claims and the OAuth2 plan's introspection response. Never the raw-token attributes.
 */
class PlanClaimsTest {

    @Test
    void an_active_introspection_response_gives_the_token_identity() {
        Map<String, Object> claims = Capture.introspected("""
                {"active":true,"jti":"onrtro:4f1c","sid":"s-9","sub":"u-1","client_id":"shop-web",
                 "iss":"https://idp.test/realms/shop","exp":4102444800,"iat":1700000000,"scope":"openid orders",
                 "aud":["orders","account"],"token_type":"Bearer"}""");
        TokenIdentity t = TokenIdentity.fromClaims(claims);
        assertThat(t.kind()).isEqualTo(TokenIdentity.Kind.CLAIMS);
        assertThat(t.fingerprint()).isNull();
        assertThat(t.jti()).isEqualTo("onrtro:4f1c");
        assertThat(t.sid()).isEqualTo("s-9");
        assertThat(t.sub()).isEqualTo("u-1");
        assertThat(t.clientId()).isEqualTo("shop-web");
        assertThat(t.exp()).isEqualTo(Instant.ofEpochSecond(4_102_444_800L));
        assertThat(t.aud()).containsExactly("orders", "account");
    }

    @Test
    void an_inactive_odd_or_oversized_introspection_response_gives_no_identity() {
        assertThat(Capture.introspected("{\"active\":false,\"jti\":\"j\"}")).isNull();
        assertThat(Capture.introspected("not json")).isNull();
        assertThat(Capture.introspected("[1,2]")).isNull();
        assertThat(Capture.introspected("{\"active\":true,\"jti\":\"")).isNull();
        assertThat(Capture.introspected(" ")).isNull();
        assertThat(Capture.introspected(null)).isNull();
        String huge = "{\"active\":true,\"pad\":\"" + "x".repeat(Capture.MAX_OAUTH_PAYLOAD) + "\"}";
        assertThat(Capture.introspected(huge)).isNull();
    }

    @Test
    void the_jwt_plans_dates_become_epoch_seconds_not_milliseconds() {
        Map<String, Object> claims = Capture.claims(Map.of("jti", "j-1", "exp", Date.from(Instant.ofEpochSecond(2_000_000_000L)),
                "aud", List.of("a", "b")));
        assertThat(claims).containsEntry("exp", 2_000_000_000L).containsEntry("aud", List.of("a", "b"));
        assertThat(TokenIdentity.fromClaims(claims).exp()).isEqualTo(Instant.ofEpochSecond(2_000_000_000L));
    }
}
