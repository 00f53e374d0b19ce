package dev.tokentrail.index.mask;

import dev.tokentrail.index.model.SensitiveNames;
import java.nio.charset.StandardCharsets;

/**
 * {@code multipart/form-data} (and other multipart types), parsed on the captured bytes: text parts
 * are masked by name and by their own content type; file and binary parts are summarized as name,
 * content type and size, their bytes never decoded. Only {@code Content-Disposition} and
 * {@code Content-Type} of each part are kept.
 */
final class MultipartMasker {

    private static final int MAX_PARTS = 256;
    private static final int MAX_PART_HEADERS = 8 * 1024;

    private final BodyMasker bodies;

    MultipartMasker(BodyMasker bodies) {
        this.bodies = bodies;
    }

    /** The masked text, or null when the boundary is not found (the caller then masks as text). */
    String mask(byte[] b, int len, String boundary, boolean cut) {
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = find(b, 0, len, delim, true);
        if (pos < 0) {
            return null;
        }
        String shownBoundary = Escape.header(boundary);
        StringBuilder out = new StringBuilder(Math.min(len, 1 << 16) + 64);
        int parts = 0;
        while (true) {
            int after = pos + delim.length;
            if (after + 1 < len && b[after] == '-' && b[after + 1] == '-') {
                out.append("--").append(shownBoundary).append("--");
                return out.toString(); // the epilogue is ignored by every server, and here too
            }
            out.append("--").append(shownBoundary).append("\r\n");
            if (++parts > MAX_PARTS) {
                out.append("«truncated:more than ").append(MAX_PARTS).append(" parts»");
                return out.toString();
            }
            int lineEnd = indexOf(b, after, len, (byte) '\n');
            int[] block = lineEnd < 0 ? null
                    : headerBlock(b, lineEnd + 1, Math.min(len, lineEnd + 1 + MAX_PART_HEADERS));
            if (block == null) {
                out.append("«truncated:part headers»");
                return out.toString();
            }
            PartHeaders h = PartHeaders.parse(new String(b, lineEnd + 1, block[0] - (lineEnd + 1),
                    StandardCharsets.UTF_8));
            int bodyStart = block[1];
            int next = find(b, bodyStart, len, delim, false);
            int bodyEnd = len;
            if (next >= 0) {
                bodyEnd = next - 1; // the '\n' before the delimiter
                if (bodyEnd > bodyStart && b[bodyEnd - 1] == '\r') {
                    bodyEnd--;
                }
            }
            h.write(out);
            out.append("\r\n");
            boolean complete = next >= 0;
            bodies.part(h.name, h.filename, h.contentType, b, bodyStart, Math.max(bodyStart, bodyEnd),
                    complete || !cut, out);
            if (!complete) {
                return out.toString();
            }
            out.append("\r\n");
            pos = next;
        }
    }

    /** The headers of one part, as far as we keep them. */
    private record PartHeaders(String disposition, String name, String filename, String contentType) {

        static PartHeaders parse(String block) {
            String disposition = null;
            String contentType = null;
            for (String line : block.split("\r?\n", 16)) {
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String n = line.substring(0, colon).strip();
                String v = line.substring(colon + 1).strip();
                if (n.equalsIgnoreCase("content-disposition")) {
                    disposition = v;
                } else if (n.equalsIgnoreCase("content-type")) {
                    contentType = v;
                }
            }
            String name = disposition == null ? null : param(disposition, "name");
            String filename = disposition == null ? null : param(disposition, "filename");
            if (filename == null && disposition != null) {
                filename = param(disposition, "filename*");
            }
            return new PartHeaders(disposition, name, filename, contentType);
        }

        void write(StringBuilder out) {
            if (disposition != null) {
                out.append("Content-Disposition: form-data");
                if (name != null) {
                    out.append("; name=\"").append(Escape.header(name)).append('"');
                }
                if (filename != null) {
                    out.append("; filename=\"").append(Escape.header(filename)).append('"');
                }
                out.append("\r\n");
            }
            if (contentType != null) {
                out.append("Content-Type: ").append(Escape.header(contentType)).append("\r\n");
            }
        }
    }

    /** A parameter of a header value ({@code name="x"} or {@code name=x}), or null. */
    static String param(String value, String param) {
        int i = 0;
        int n = value.length();
        while (i < n) {
            int semi = value.indexOf(';', i);
            if (semi < 0) {
                return null;
            }
            int k = semi + 1;
            while (k < n && value.charAt(k) == ' ') {
                k++;
            }
            int eq = value.indexOf('=', k);
            if (eq < 0) {
                return null;
            }
            String key = value.substring(k, eq).strip();
            int v = eq + 1;
            String result;
            int end;
            if (v < n && value.charAt(v) == '"') {
                StringBuilder sb = new StringBuilder();
                end = v + 1;
                while (end < n && value.charAt(end) != '"') {
                    char c = value.charAt(end);
                    if (c == '\\' && end + 1 < n) {
                        c = value.charAt(++end);
                    }
                    sb.append(c);
                    end++;
                }
                result = sb.toString();
                end = Math.min(end + 1, n);
            } else {
                end = value.indexOf(';', v);
                end = end < 0 ? n : end;
                result = value.substring(v, end).strip();
            }
            if (key.equalsIgnoreCase(param)) {
                return result;
            }
            i = end;
        }
        return null;
    }

    private static int indexOf(byte[] b, int from, int to, byte x) {
        for (int i = from; i < to; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** {end of the header text, start of the body} for the header block starting at {@code from}, or null. */
    private static int[] headerBlock(byte[] b, int from, int to) {
        int lineStart = from;
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                int contentEnd = i > lineStart && b[i - 1] == '\r' ? i - 1 : i;
                if (contentEnd == lineStart) {
                    return new int[] {lineStart, i + 1};
                }
                lineStart = i + 1;
            }
        }
        return null;
    }

    /**
     * Boyer-Moore-Horspool search for the delimiter at a line start (or at {@code from} when
     * {@code first}): linear in practice whatever the part contents.
     */
    private static int find(byte[] b, int from, int to, byte[] delim, boolean first) {
        int m = delim.length;
        int[] shift = new int[256];
        java.util.Arrays.fill(shift, m);
        for (int k = 0; k < m - 1; k++) {
            shift[delim[k] & 0xff] = m - 1 - k;
        }
        int i = from;
        while (i + m <= to) {
            int k = m - 1;
            while (k >= 0 && b[i + k] == delim[k]) {
                k--;
            }
            if (k < 0 && (i == 0 || b[i - 1] == '\n' || first && i == from)) {
                return i;
            }
            i += shift[b[i + m - 1] & 0xff];
        }
        return -1;
    }
}
