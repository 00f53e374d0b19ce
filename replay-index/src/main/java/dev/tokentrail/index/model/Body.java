package dev.tokentrail.index.model;

/**
 * A bounded message body. {@code text} holds at most the configured prefix, already masked;
 * binary or compressed bodies keep only their size, type and encoding.
 *
 * @param text           masked text prefix, or null when the body is not stored as text
 * @param originalSize   bytes seen on the wire (-1 when unknown, e.g. a cancelled stream)
 * @param truncated      true when {@code text} holds only a prefix of the body
 * @param contentType    the Content-Type header value, or null
 * @param contentEncoding the Content-Encoding header value, or null
 * @param form           how the body was interpreted
 */
public record Body(String text, long originalSize, boolean truncated, String contentType,
                   String contentEncoding, Form form) {

    /** How a body was interpreted before storage. */
    public enum Form {
        /** No body on the wire. */
        NONE,
        /** Text stored (JSON, form, multipart or plain text), masked. */
        TEXT,
        /** Binary, compressed or not captured by configuration: size and type only. */
        OMITTED
    }

    public static final Body NONE = new Body(null, 0, false, null, null, Form.NONE);

    public Body {
        if (form == null) {
            form = text == null ? (originalSize > 0 ? Form.OMITTED : Form.NONE) : Form.TEXT;
        }
    }

    public boolean absent() {
        return form == Form.NONE;
    }
}
