/**
 * Exports of captured records: HAR 1.2 (opens in browser developer tools) and cURL commands.
 *
 * <p>Pure functions of already-masked records. An export must never contain a credential: where
 * a request carried one, a placeholder (a shell variable for cURL) stands in its place.
 */
package dev.tokentrail.viewer.export;
