package dev.tokentrail.index.mask;

import dev.tokentrail.index.model.Body;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Decides how a captured body prefix is read (JSON, form, multipart, XML, text, or not at all) and
 * hands it to the matching masker. Compressed or binary bodies are never decoded as text: they keep
 * size, content type and encoding only.
 */
final class BodyMasker {

    enum Kind { JSON, FORM, MULTIPART, XML, TEXT, BINARY, SNIFF }

    private static final int MAX_HEADER_LIKE = 256;
    private static final int SNIFF_BYTES = 2048;
    private static final Set<String> BINARY_TYPES = Set.of(
            "application/octet-stream", "application/zip", "application/gzip", "application/x-gzip",
            "application/x-tar", "application/x-7z-compressed", "application/x-bzip2", "application/x-xz",
            "application/zstd", "application/x-rar-compressed", "application/pdf", "application/protobuf",
            "application/x-protobuf", "application/vnd.google.protobuf", "application/msgpack",
            "application/x-msgpack", "application/vnd.msgpack", "application/cbor", "application/avro",
            "application/wasm", "application/java-archive", "application/x-java-serialized-object",
            "application/vnd.apache.thrift.binary", "application/x-shockwave-flash", "application/bson");
    private static final Set<String> TEXT_TYPES = Set.of(
            "application/javascript", "application/ecmascript", "application/graphql", "application/jwt",
            "application/jose", "application/x-yaml", "application/yaml", "application/sql",
            "application/x-sh", "application/toml", "application/csv", "application/x-httpd-php");

    private final TextMasker text;
    private final JsonMasker json;
    private final FormMasker form;
    private final Names fields;
    private final MultipartMasker multipart;

    BodyMasker(TextMasker text, JsonMasker json, FormMasker form, Names fields) {
        this.text = text;
        this.json = json;
        this.form = form;
        this.fields = fields;
        this.multipart = new MultipartMasker(this);
    }

    Body body(byte[] prefix, int length, long originalSize, String contentType, String contentEncoding) {
        int len = prefix == null ? 0 : Math.max(0, Math.min(length, prefix.length));
        String ct = Escape.bounded(strip(contentType), MAX_HEADER_LIKE);
        String ce = Escape.bounded(strip(contentEncoding), MAX_HEADER_LIKE);
        long size = originalSize < 0 ? originalSize : Math.max(originalSize, len);
        boolean cut = size > len;
        if (len == 0) {
            if (size > 0) {
                return new Body(null, size, false, ct, ce, Body.Form.OMITTED); // not captured
            }
            return ct == null && ce == null ? Body.NONE : new Body(null, Math.max(size, 0), false, ct, ce, Body.Form.NONE);
        }
        if (encoded(contentEncoding)) {
            return omitted(len, size, ct, ce);
        }
        String mt = mediaType(contentType);
        Kind kind = kind(mt, prefix, 0, len);
        if (kind == Kind.BINARY) {
            return omitted(len, size, ct, ce);
        }
        if (kind == Kind.MULTIPART) {
            String boundary = MultipartMasker.param(contentType, "boundary");
            if (boundary != null && !boundary.isEmpty() && boundary.length() <= 200) {
                String t = multipart.mask(prefix, len, boundary, cut);
                if (t != null) {
                    return new Body(t, size, cut, ct, ce, Body.Form.TEXT);
                }
            }
            kind = Kind.TEXT;
        }
        String s = decode(prefix, 0, len, charset(contentType), cut);
        boolean dropped = false;
        String masked;
        switch (kind) {
            case JSON -> {
                JsonMasker.Result r = json.mask(s);
                masked = r.text();
                dropped = r.dropped();
            }
            case FORM -> masked = form.mask(s);
            case XML -> masked = text.mask(s, true);
            default -> masked = text.mask(s);
        }
        return new Body(masked, size, cut || dropped, ct, ce, Body.Form.TEXT);
    }

    /** One multipart part, appended to {@code out}: a summary for files and binary, masked text otherwise. */
    void part(String name, String filename, String contentType, byte[] b, int from, int to, boolean complete,
              StringBuilder out) {
        String mt = mediaType(contentType);
        Kind kind = kind(mt, b, from, to);
        if (filename != null || kind == Kind.BINARY) {
            out.append("«file:").append(complete ? "" : "≥").append(to - from).append(" bytes»");
            return;
        }
        String s = decode(b, from, to, charset(contentType), !complete);
        if (name != null && fields.matches(name)) {
            out.append(s.isEmpty() ? s : text.maskValue(s, name));
            return;
        }
        switch (kind) {
            case JSON -> out.append(json.mask(s).text());
            case FORM -> out.append(form.mask(s));
            case XML -> out.append(text.mask(s, true));
            default -> out.append(text.mask(s));
        }
    }

    private static Body omitted(int len, long size, String ct, String ce) {
        return new Body(null, size < 0 ? size : Math.max(size, len), false, ct, ce, Body.Form.OMITTED);
    }

    private static String strip(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** Any content coding other than identity means the bytes are not text. */
    static boolean encoded(String contentEncoding) {
        if (contentEncoding == null) {
            return false;
        }
        for (String coding : contentEncoding.split(",")) {
            String c = coding.strip();
            if (!c.isEmpty() && !c.equalsIgnoreCase("identity")) {
                return true;
            }
        }
        return false;
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String mt = (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        return mt.isEmpty() ? null : mt;
    }

    static Kind kind(String mt, byte[] b, int from, int to) {
        if (compressedOrImage(b, from, to)) {
            return Kind.BINARY; // whatever the header says: a gzip stream stored as text is mojibake
        }
        Kind declared = declared(mt);
        if (declared != Kind.SNIFF) {
            return declared;
        }
        if (looksBinary(b, from, to)) {
            return Kind.BINARY;
        }
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '{' || c == '[') {
                return Kind.JSON;
            }
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                break;
            }
        }
        return Kind.TEXT;
    }

    private static Kind declared(String mt) {
        if (mt == null) {
            return Kind.SNIFF;
        }
        if (BINARY_TYPES.contains(mt) || mt.startsWith("image/") || mt.startsWith("audio/") || mt.startsWith("video/")
                || mt.startsWith("font/") || mt.startsWith("model/") || mt.startsWith("application/grpc")
                || mt.endsWith("+zip") || mt.endsWith("+cbor") || mt.endsWith("+proto") || mt.endsWith("+gzip")) {
            return Kind.BINARY;
        }
        if (mt.contains("json")) {
            return Kind.JSON;
        }
        if (mt.equals("application/x-www-form-urlencoded")) {
            return Kind.FORM;
        }
        if (mt.startsWith("multipart/")) {
            return Kind.MULTIPART;
        }
        if (mt.contains("xml")) {
            return Kind.XML;
        }
        if (mt.startsWith("text/") || TEXT_TYPES.contains(mt)) {
            return Kind.TEXT;
        }
        return Kind.SNIFF;
    }

    /** Magic numbers of compressed streams and common binary formats. */
    private static boolean compressedOrImage(byte[] b, int from, int to) {
        int n = to - from;
        if (n < 2) {
            return false;
        }
        int b0 = b[from] & 0xff;
        int b1 = b[from + 1] & 0xff;
        if (b0 == 0x1f && (b1 == 0x8b || b1 == 0x9d)) {
            return true; // gzip, compress
        }
        if (n >= 4) {
            int b2 = b[from + 2] & 0xff;
            int b3 = b[from + 3] & 0xff;
            return b0 == 0x28 && b1 == 0xb5 && b2 == 0x2f && b3 == 0xfd // zstd
                    || b0 == 0x50 && b1 == 0x4b && b2 == 0x03 && b3 == 0x04 // zip
                    || b0 == 0xfd && b1 == 0x37 && b2 == 0x7a && b3 == 0x58 // xz
                    || b0 == 0x89 && b1 == 0x50 && b2 == 0x4e && b3 == 0x47 // png
                    || b0 == 0xff && b1 == 0xd8 && b2 == 0xff; // jpeg
        }
        return false;
    }

    /** NUL bytes, or more than one in ten bytes control characters or invalid UTF-8, in the first 2 KiB. */
    static boolean looksBinary(byte[] b, int from, int to) {
        int end = Math.min(to, from + SNIFF_BYTES);
        int bad = 0;
        int i = from;
        while (i < end) {
            int c = b[i] & 0xff;
            if (c == 0) {
                return true;
            }
            if (c < 0x80) {
                if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) {
                    bad++;
                }
                i++;
                continue;
            }
            int need = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? (c <= 0xef ? 2 : -1) : c >= 0xc2 && c <= 0xdf ? 1 : -1;
            if (need < 0) {
                bad++;
                i++;
                continue;
            }
            int k = 1;
            while (k <= need && i + k < end && (b[i + k] & 0xc0) == 0x80) {
                k++;
            }
            if (k <= need && i + k < end) {
                bad++;
            }
            i += k;
        }
        int scanned = end - from;
        return scanned > 0 && bad * 10 > scanned;
    }

    private static Charset charset(String contentType) {
        String cs = contentType == null ? null : MultipartMasker.param(contentType, "charset");
        if (cs == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(cs.strip());
        } catch (RuntimeException unknown) {
            return StandardCharsets.UTF_8;
        }
    }

    /** Text with replacement characters for malformed input; a character cut at the end is dropped. */
    static String decode(byte[] b, int from, int to, Charset cs, boolean cut) {
        int end = to;
        if (cut && cs == StandardCharsets.UTF_8) {
            // Back off over an incomplete trailing sequence rather than store a replacement character.
            int k = end - 1;
            int cont = 0;
            while (k >= from && cont < 3 && (b[k] & 0xc0) == 0x80) {
                k--;
                cont++;
            }
            if (k >= from) {
                int lead = b[k] & 0xff;
                int need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
                if (need > cont) {
                    end = k;
                }
            }
        }
        String s = new String(b, from, end - from, cs);
        return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }

}
