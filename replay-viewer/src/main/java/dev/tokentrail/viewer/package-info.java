/**
 * The replay viewer: a web UI and JSON API over every shard of a data root, for investigators.
 *
 * <p>This package holds the entry point ({@link dev.tokentrail.viewer.ViewerMain}), one small
 * configuration record per concern (server, security, live updates) and the wiring
 * ({@link dev.tokentrail.viewer.Viewer}). It reads shards only through replay-index's
 * {@code ReplayReader}: it must never build Lucene queries itself, never write a shard of another
 * component, and never log, store or echo a raw credential pasted by a user.
 */
package dev.tokentrail.viewer;
