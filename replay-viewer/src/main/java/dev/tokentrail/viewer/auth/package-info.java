/**
 * Who may look: login (local access token or OIDC with PKCE), sessions, the request guard and the
 * security headers every response carries.
 *
 * <p>Everything is denied unless a session, the local token or the metrics token says otherwise.
 * This package must never log, store or echo a token, a session id or a client secret, and must
 * never change state on a GET other than the login itself.
 */
package dev.tokentrail.viewer.auth;
