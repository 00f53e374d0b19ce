/**
 * The per-API configuration of the Tokentrail Capture policy, as saved by the console's
 * Policy Studio form.
 *
 * <p>Only data: no I/O, no gateway types beyond the {@code PolicyConfiguration} marker, and no
 * node-wide settings (data root, queue, retention): those belong to the gateway's environment,
 * not to an API owner.
 */
package dev.tokentrail.gateway.configuration;
