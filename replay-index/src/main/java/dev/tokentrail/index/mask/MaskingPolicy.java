package dev.tokentrail.index.mask;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Header;
import java.util.Collection;
import java.util.List;

/**
 * What must never reach disk, and how it is replaced. Immutable and thread-safe: one per node,
 * plus cheap per-API derivations through {@link #with(Collection, Collection)}.
 *
 * <p>Adapters call {@link #body} for each captured body prefix and {@link #mask(Exchange)} on the
 * finished exchange, on their own node, before handing the record to a writer.
 */
public final class MaskingPolicy {
    // API skeleton; implemented in this package.

    /** The default policy: default sensitive headers and fields, JWT detection on, no value patterns. */
    public static MaskingPolicy defaults(Fingerprinter fingerprinter) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A policy with extra masked header names and field names on top of this one. */
    public MaskingPolicy with(Collection<String> extraHeaders, Collection<String> extraFields) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Masks headers and the query string and derives the token identities presented
     * (Authorization schemes, configured token headers, query parameters, cookies). Bodies are
     * expected to come from {@link #body}.
     */
    public Exchange mask(Exchange raw) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Masks one header list. */
    public List<Header> maskHeaders(List<Header> headers) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Masks a raw query string (without '?'). */
    public String maskQuery(String query) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Builds a stored body from a captured prefix.
     *
     * @param prefix          captured bytes (only the first {@code length} are used)
     * @param length          how many bytes of {@code prefix} were captured
     * @param originalSize    bytes on the wire, -1 if unknown
     * @param contentType     Content-Type header or null
     * @param contentEncoding Content-Encoding header or null
     */
    public Body body(byte[] prefix, int length, long originalSize, String contentType, String contentEncoding) {
        throw new UnsupportedOperationException("not yet");
    }
}
