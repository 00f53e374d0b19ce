/**
 * Security findings over the trails: use after logout or revocation, expired, unknown or
 * unsigned tokens, spread, bursts, refresh reuse, auth failure storms, client mismatches. Rules
 * read records in time order and keep bounded, expiring state.
 *
 * <p>Must never: fire on normal behaviour (refresh rotation, retries, parallel sessions, use up to
 * {@code exp}, many users behind one proxy), trust X-Forwarded-For from an untrusted peer, or
 * keep unbounded state.
 */
package dev.tokentrail.index.findings;
