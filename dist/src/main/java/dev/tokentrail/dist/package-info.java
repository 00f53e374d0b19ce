/**
 * The sandbox and the end-to-end stack: real Keycloak with the Tokentrail listener, a demo
 * backend, the real Gravitee gateway with the capture policy and the viewer started on
 * 127.0.0.1 around one data root, a scripted scenario, and the release's docs builder.
 *
 * <p>This is tooling, not product: it runs the shipped artifacts (the provider jar, the policy
 * zip, the viewer jar) as an operator would, in their own processes, and talks to them only over
 * HTTP. It must never import replay-index or an adapter's classes to reach into their state (only
 * the gateway smoke test, which has no viewer, reads the shard back through replay-index's public
 * reader), never bind anything but loopback, and never write a token, password or client secret
 * into the data root.
 */
package dev.tokentrail.dist;
