/**
 * The JSON API, the Prometheus metrics, the live tail and the static UI assets.
 *
 * <p>Every handler here runs behind the guard of {@code dev.tokentrail.viewer.auth}; each one that
 * shows captured data records who looked at what in the audit log. Queries go through
 * {@code ReplayReader} only. A pasted raw token is handed to the reader (which fingerprints it)
 * and is never logged, stored, echoed or put into a URL this package builds.
 */
package dev.tokentrail.viewer.api;
