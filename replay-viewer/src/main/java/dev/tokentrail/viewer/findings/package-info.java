/**
 * Findings in the viewer: a background task that feeds newly committed records to replay-index's
 * rules (one long-lived evaluator, a watermark behind the newest commits), on-demand
 * re-evaluation over a range, storage of new findings in the viewer's own shard, and the optional
 * webhook.
 *
 * <p>Must never: block a web request on the webhook, report the same finding twice (ids are
 * deterministic and checked against the store), or put anything in a webhook payload that the
 * shards do not already hold (findings name tokens by jti or fingerprint, never raw).
 */
package dev.tokentrail.viewer.findings;
