/**
 * The records Tokentrail stores: what an identity provider did to a token ({@link
 * dev.tokentrail.index.model.TokenEvent}) and what a gateway saw ({@link
 * dev.tokentrail.index.model.Exchange}). Immutable, host-neutral and free of Lucene.
 *
 * <p>Must never: hold a raw credential once masked, depend on a host (Keycloak, Gravitee) or on
 * the store.
 */
package dev.tokentrail.index.model;
