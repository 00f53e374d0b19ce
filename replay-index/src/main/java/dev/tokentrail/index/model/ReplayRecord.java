package dev.tokentrail.index.model;

import java.time.Instant;

/**
 * Anything a shard stores: what the identity provider did ({@link TokenEvent}), what the
 * gateway saw ({@link Exchange}), what the rules concluded ({@link Finding}) and who looked at it
 * ({@link AuditEvent}). Sealed so that
 * the schema and the reader handle every kind.
 */
public sealed interface ReplayRecord permits TokenEvent, Exchange, Finding, AuditEvent {

    /** Unique id of this record (per source), used to deduplicate and to open one record. */
    String id();

    /** When it happened: the event time, or the start of the request. */
    Instant time();

    /** The process that recorded it (Keycloak node, gateway node). */
    String node();
}
