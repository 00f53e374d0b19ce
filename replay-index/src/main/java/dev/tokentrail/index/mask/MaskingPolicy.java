package dev.tokentrail.index.mask;

import dev.tokentrail.index.identity.Fingerprinter;
import dev.tokentrail.index.model.Body;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Header;
import dev.tokentrail.index.model.SensitiveNames;
import dev.tokentrail.index.model.TokenEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What must never reach disk, and how it is replaced. Immutable and thread-safe: one per node,
 * plus cheap per-API derivations through {@link #with(Collection, Collection)}.
 *
 * <p>Adapters call {@link #body} for each captured body prefix and {@link #mask(Exchange)} on the
 * finished exchange, or {@link #mask(TokenEvent)} on an identity provider's event, on their own
 * node, before handing the record to a writer.
 *
 * <p>Replacements are visible: {@code «masked:<name>»} where a secret was, {@code «token:<fp>»}
 * (the keyed fingerprint, see {@link Fingerprinter#reference(String)}) where a token was, so an
 * investigator can search for the same token elsewhere. Nothing here throws on hostile input, and
 * every pass is linear in its input (no regular expressions).
 */
public final class MaskingPolicy {

    /** Header-name words that mask wherever they appear ({@code X-Refresh-Token}, {@code X-Client-Secret}). */
    private static final List<String> HEADER_WORDS = List.of("secret", "password", "passwd", "token", "apikey",
            "credential", "privatekey");

    /**
     * Hops kept of an X-Forwarded-For chain. The last ones: proxies append on the right, so those
     * are the hops a trusted proxy vouches for, while a client can prepend as many as it likes.
     */
    static final int MAX_FORWARDED_HOPS = 32;

    private final Fingerprinter fingerprinter;
    private final Builder config;
    private final HeaderMasker headers;
    private final FormMasker forms;
    private final BodyMasker bodies;
    private final TextMasker text;
    private final Names fields;
    private final Names tokenQueryParams;

    private MaskingPolicy(Builder b) {
        this.fingerprinter = b.fingerprinter;
        this.config = b.copy();
        Names fields = new Names(b.fields, SensitiveNames.FIELD_WORDS);
        this.fields = fields;
        TextMasker text = new TextMasker(fingerprinter, fields, b.cardNumbers);
        this.text = text;
        this.forms = new FormMasker(text, fields);
        this.bodies = new BodyMasker(text, new JsonMasker(text, fields, b.maxJsonDepth), forms, fields);
        this.tokenQueryParams = new Names(b.tokenQueryParams, List.of());
        this.headers = new HeaderMasker(fingerprinter, text, new Names(b.headers, HEADER_WORDS),
                new Names(b.tokenHeaders, List.of()), new Names(b.tokenCookies, List.of()), b.maxHeaders,
                b.maxHeaderValueChars, b.maxHeaderChars);
    }

    /** The default policy: default sensitive headers and fields, JWT detection on, no value patterns. */
    public static MaskingPolicy defaults(Fingerprinter fingerprinter) {
        return builder(fingerprinter).build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder(Fingerprinter fingerprinter) {
        return new Builder(fingerprinter);
    }

    /** A builder starting from this policy's settings. */
    public Builder toBuilder() {
        return config.copy();
    }

    /** A policy with extra masked header names and field names on top of this one. */
    public MaskingPolicy with(Collection<String> extraHeaders, Collection<String> extraFields) {
        return toBuilder().maskHeaders(extraHeaders == null ? List.of() : extraHeaders)
                .maskFields(extraFields == null ? List.of() : extraFields).build();
    }

    /**
     * Masks headers, the query string, the path and the other values a client chooses (Host,
     * User-Agent, every X-Forwarded-For entry, traceparent) and derives the token identities
     * presented (Authorization schemes, configured token headers, query parameters, cookies).
     * Bodies are expected to come from {@link #body}.
     *
     * <p>Identities already on the exchange (e.g. from gateway plan claims) are kept first; those
     * derived here follow, Authorization before other sources, deduplicated by fingerprint. Two
     * different bearer tokens in two Authorization headers yield two identities.
     */
    public Exchange mask(Exchange raw) {
        Objects.requireNonNull(raw, "exchange");
        Identities ids = new Identities(fingerprinter, raw.tokens());
        List<Header> req = headers.mask(raw.requestHeaders(), ids);
        String query = raw.query() == null ? null
                : forms.mask(raw.query(), tokenQueryParams, (name, value) -> ids.add(value, null, false));
        List<Header> res = headers.mask(raw.responseHeaders(), null);
        // A token can sit in the path too (/reset/eyJ…, /magic-link/…).
        String path = raw.path() == null ? null : text.mask(raw.path());
        return raw.withMasked(headerText(raw.host()), path, query, req, raw.requestBody(), res, raw.responseBody(),
                forwardedFor(raw.forwardedFor()), headerText(raw.userAgent()), headerText(raw.traceparent()),
                ids.result());
    }

    /**
     * A value copied from a request header into its own field: masked as any other header value
     * would be (a JWT or {@code password=…} in a User-Agent is still one), escaped and bounded alike.
     */
    private String headerText(String value) {
        return value == null ? null : Escape.bounded(text.mask(value), config.maxHeaderValueChars);
    }

    private List<String> forwardedFor(List<String> chain) {
        if (chain.isEmpty()) {
            return chain;
        }
        int from = Math.max(0, chain.size() - MAX_FORWARDED_HOPS);
        var out = new ArrayList<String>(chain.size() - from);
        for (int i = from; i < chain.size(); i++) {
            out.add(headerText(chain.get(i)));
        }
        return out;
    }

    /**
     * Masks an identity provider event's details as a body's fields would be: a value under a
     * sensitive name (this policy's field names) becomes a marker, and in every other value JWTs
     * become references and {@code name=value} secrets markers. The other fields are the IdP's
     * own ids and codes and are kept. Returns {@code raw} itself when nothing needed masking.
     */
    public TokenEvent mask(TokenEvent raw) {
        Objects.requireNonNull(raw, "event");
        Map<String, String> out = null;
        for (var e : raw.details().entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            String m = v == null || TextMasker.isMarker(v, 0, v.length()) ? v
                    : fields.matches(k) ? SensitiveNames.marker(TextMasker.markerName(k, 0, k.length()))
                    : text.mask(v);
            if (out == null && !Objects.equals(m, v)) {
                out = new LinkedHashMap<>(raw.details());
            }
            if (out != null) {
                out.put(k, m);
            }
        }
        if (out == null) {
            return raw;
        }
        return new TokenEvent(raw.id(), raw.time(), raw.type(), raw.eventName(), raw.realm(), raw.clientId(),
                raw.userId(), raw.sessionId(), raw.ip(), raw.accessTokenId(), raw.refreshTokenId(),
                raw.newRefreshTokenId(), raw.error(), out, raw.actor(), raw.node());
    }

    /** Masks one header list. */
    public List<Header> maskHeaders(List<Header> headers) {
        return this.headers.mask(headers, null);
    }

    /** Masks a raw query string (without '?'). */
    public String maskQuery(String query) {
        return forms.mask(query, tokenQueryParams, null);
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
        return bodies.body(prefix, length, originalSize, contentType, contentEncoding);
    }

    /**
     * Masks free text (a log line, a path segment) with the body rules for text: JWTs
     * become references, {@code name=value} pairs with sensitive names become markers.
     */
    public String maskText(String text) {
        return this.text.mask(text);
    }

    @Override
    public String toString() {
        return "MaskingPolicy[headers=" + config.headers.size() + ", fields=" + config.fields.size()
                + ", tokenHeaders=" + config.tokenHeaders + ", tokenQueryParams=" + config.tokenQueryParams
                + ", tokenCookies=" + config.tokenCookies + ", cardNumbers=" + config.cardNumbers + "]";
    }

    /**
     * Settings of a policy. Names are matched case-insensitively and ignoring separators, so
     * {@code client_secret} also covers {@code clientSecret} and {@code Client-Secret}.
     */
    public static final class Builder {
        private final Fingerprinter fingerprinter;
        private final Set<String> headers = new LinkedHashSet<>(SensitiveNames.HEADERS);
        private final Set<String> fields = new LinkedHashSet<>(SensitiveNames.FIELDS);
        private Set<String> tokenHeaders = new LinkedHashSet<>();
        private Set<String> tokenQueryParams = new LinkedHashSet<>(List.of("access_token"));
        private Set<String> tokenCookies = new LinkedHashSet<>();
        private boolean cardNumbers;
        private int maxHeaders = 100;
        private int maxHeaderValueChars = 4096;
        private int maxHeaderChars = 64 * 1024;
        private int maxJsonDepth = 64;

        private Builder(Fingerprinter fingerprinter) {
            this.fingerprinter = Objects.requireNonNull(fingerprinter, "fingerprinter");
        }

        private Builder copy() {
            Builder b = new Builder(fingerprinter);
            b.headers.clear();
            b.headers.addAll(headers);
            b.fields.clear();
            b.fields.addAll(fields);
            b.tokenHeaders = new LinkedHashSet<>(tokenHeaders);
            b.tokenQueryParams = new LinkedHashSet<>(tokenQueryParams);
            b.tokenCookies = new LinkedHashSet<>(tokenCookies);
            b.cardNumbers = cardNumbers;
            b.maxHeaders = maxHeaders;
            b.maxHeaderValueChars = maxHeaderValueChars;
            b.maxHeaderChars = maxHeaderChars;
            b.maxJsonDepth = maxJsonDepth;
            return b;
        }

        /** Adds header names whose values are masked (API keys and the like). */
        public Builder maskHeaders(Collection<String> names) {
            headers.addAll(checked(names, "maskHeaders"));
            return this;
        }

        /** Adds body field, form field and query parameter names whose values are masked. */
        public Builder maskFields(Collection<String> names) {
            fields.addAll(checked(names, "maskFields"));
            return this;
        }

        /** Headers carrying a raw token (e.g. {@code X-Forwarded-Access-Token}): identity derived, value referenced. None by default. */
        public Builder tokenHeaders(Collection<String> names) {
            tokenHeaders = new LinkedHashSet<>(checked(names, "tokenHeaders"));
            return this;
        }

        /** Query parameters carrying a token: identity derived, value masked. Default {@code access_token}. */
        public Builder tokenQueryParams(Collection<String> names) {
            tokenQueryParams = new LinkedHashSet<>(checked(names, "tokenQueryParams"));
            return this;
        }

        /** Cookies carrying a token: identity derived (every cookie value is masked anyway). None by default. */
        public Builder tokenCookies(Collection<String> names) {
            tokenCookies = new LinkedHashSet<>(checked(names, "tokenCookies"));
            return this;
        }

        /**
         * Masks Luhn-valid 13-19 digit numbers in text ({@code «masked:card»}). Off by default: one
         * random number in ten passes Luhn, so millisecond timestamps and order ids would be hit.
         */
        public Builder cardNumbers(boolean on) {
            cardNumbers = on;
            return this;
        }

        /** Headers kept per list (default 100); the rest are counted in a {@code …} entry. */
        public Builder maxHeaders(int n) {
            maxHeaders = positive(n, "maxHeaders");
            return this;
        }

        /** Characters kept per header value after masking (default 4096). */
        public Builder maxHeaderValueChars(int n) {
            maxHeaderValueChars = positive(n, "maxHeaderValueChars");
            return this;
        }

        /** Characters kept per header list, names and values (default 64 KiB). */
        public Builder maxHeaderChars(int n) {
            maxHeaderChars = positive(n, "maxHeaderChars");
            return this;
        }

        /** JSON nesting kept (default 64, at most 1000); deeper content is dropped and the body marked truncated. */
        public Builder maxJsonDepth(int n) {
            if (n < 1 || n > 1000) {
                throw new IllegalArgumentException("maxJsonDepth must be between 1 and 1000, got " + n);
            }
            maxJsonDepth = n;
            return this;
        }

        public MaskingPolicy build() {
            return new MaskingPolicy(this);
        }

        private static Collection<String> checked(Collection<String> names, String what) {
            Objects.requireNonNull(names, what);
            for (String n : names) {
                if (n == null || n.isBlank()) {
                    throw new IllegalArgumentException(what + ": names must not be null or blank, got " + names);
                }
            }
            return names;
        }

        private static int positive(int n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be positive, got " + n);
            }
            return n;
        }
    }
}
