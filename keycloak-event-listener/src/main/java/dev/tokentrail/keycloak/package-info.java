/**
 * Keycloak 26 event listener {@code tokentrail}: turns Keycloak's user and admin events about
 * tokens and sessions into replay-index {@code TokenEvent}s in this node's shard.
 *
 * <p>Public surface: the factory only (Keycloak loads it through {@code META-INF/services}).
 * Must never: store a password, client secret, authorization code or token value; throw out of
 * {@code onEvent} or a commit callback; do disk I/O on a request thread (the replay-index
 * writer thread does it); import Lucene (replay-index owns it).
 */
package dev.tokentrail.keycloak;
