package dev.tokentrail.gateway;

import io.gravitee.policy.api.PolicyContext;

/**
 * The plugin's lifecycle as the gateway drives it: when the plugin is activated (gateway start,
 * plugin deployment), the node's shard starts opening in the background, so the first requests
 * find it ready; when it is deactivated (gateway stop, plugin undeployment), queued captures are
 * masked, written and committed, and the shard lock is released.
 */
public class TokentrailCaptureContext implements PolicyContext {

    @Override
    public void onActivation() {
        NodeRecorder.get();
    }

    @Override
    public void onDeactivation() {
        NodeRecorder.closeNode();
    }
}
