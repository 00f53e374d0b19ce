package dev.tokentrail.dist.gateway;

import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.gravitee.apim.gateway.tests.sdk.AbstractGatewayTest;
import io.gravitee.apim.gateway.tests.sdk.annotations.GatewayTest;
import io.gravitee.apim.gateway.tests.sdk.configuration.GatewayConfigurationBuilder;
import io.gravitee.apim.gateway.tests.sdk.connector.EndpointBuilder;
import io.gravitee.apim.gateway.tests.sdk.connector.EntrypointBuilder;
import io.gravitee.apim.gateway.tests.sdk.runner.GatewayRunner;
import io.gravitee.plugin.endpoint.EndpointConnectorPlugin;
import io.gravitee.plugin.endpoint.http.proxy.HttpProxyEndpointConnectorFactory;
import io.gravitee.plugin.entrypoint.EntrypointConnectorPlugin;
import io.gravitee.plugin.entrypoint.http.proxy.HttpProxyEntrypointConnectorFactory;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The real Gravitee APIM 4.10.9 gateway, as the tests SDK boots it, from a plain {@code main()}:
 * the SDK's {@link GatewayRunner} is given an instance of this class (it reads
 * {@link GatewayTest#configFolder()} by reflection; no JUnit engine runs), starts the Vert.x
 * gateway, and deploys an organization with its API from classpath resources.
 *
 * <p>The gateway home {@code /tokentrail-gateway} must be a <em>directory</em> on the classpath
 * (the sandbox writes it: {@code config/gravitee.yml}, {@code plugins/*.zip}, {@code apis/},
 * {@code organization.json}). Policies are loaded from the zips in {@code plugins/} by the
 * gateway's plugin registry, exactly as in a production gateway; only the http-proxy connectors
 * come from this classpath (the SDK does not register them itself).
 *
 * <p>This leans on tests-SDK internals: pinned to 4.10.9, and dist's {@code GatewaySmokeIT} boots it
 * exactly like the sandbox, so an upgrade that breaks it fails loudly.
 *
 * <p>Arguments: {@code <port> <organization resource> <api resource>}. Prints
 * {@code TOKENTRAIL-GATEWAY READY <port>} on stdout once the API is deployed. SIGTERM stops the node
 * through its own shutdown hook (the capture plugin drains and commits on deactivation).
 */
@GatewayTest(configFolder = SandboxGateway.HOME)
public final class SandboxGateway extends AbstractGatewayTest {

    static final String HOME = "/tokentrail-gateway";
    public static final String READY = "TOKENTRAIL-GATEWAY READY";

    private final int port;

    private SandboxGateway(int port) {
        this.port = port;
    }

    @Override
    public void configureEntrypoints(Map<String, EntrypointConnectorPlugin<?, ?>> entrypoints) {
        entrypoints.putIfAbsent("http-proxy", EntrypointBuilder.build("http-proxy", HttpProxyEntrypointConnectorFactory.class));
    }

    @Override
    public void configureEndpoints(Map<String, EndpointConnectorPlugin<?, ?>> endpoints) {
        endpoints.putIfAbsent("http-proxy", EndpointBuilder.build("http-proxy", HttpProxyEndpointConnectorFactory.class));
    }

    /** The SDK always starts a WireMock; keep it off every interface but loopback. */
    @Override
    protected void configureWireMock(WireMockConfiguration configuration) {
        configuration.bindAddress("127.0.0.1");
    }

    /** Applied after the runner's own defaults ({@code http.port=0}), so these win. */
    @Override
    protected void configureGateway(GatewayConfigurationBuilder builder) {
        builder.set("http.instances", 1);
        builder.set("tcp.instances", 1);
        builder.set("http.host", "127.0.0.1");
        builder.set("http.port", port);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SandboxGateway <port> <organization resource> <api resource>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        if (SandboxGateway.class.getResource(HOME + "/config/gravitee.yml") == null) {
            System.err.println("no " + HOME + "/config/gravitee.yml directory on the classpath");
            System.exit(2);
        }
        SandboxGateway gateway = new SandboxGateway(port);
        GatewayConfigurationBuilder builder = GatewayConfigurationBuilder.emptyConfiguration();
        gateway.configureGateway(builder);
        GatewayRunner runner = new GatewayRunner(builder, gateway);
        var ports = runner.configureAndStart();
        // An organization whose platform flow records every exchange, the plan's rejections included,
        // and the API deployed under it.
        runner.deployOrganizationForClass(args[1], new String[] {args[2]});
        System.out.println(READY + " " + ports.httpPort());
        System.out.flush();
        new CountDownLatch(1).await(); // until SIGTERM: the node's shutdown hook stops the gateway
    }
}
