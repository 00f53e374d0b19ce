package dev.tokentrail.index.mask;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.tokentrail.index.model.SensitiveNames;
import java.io.IOException;
import java.io.StringWriter;

/**
 * JSON masking as one streaming pass, parser to generator: no tree, no recursion, so neither a
 * large body nor 100,000 nested arrays can exhaust memory or the stack.
 *
 * <p>Values under sensitive names (matched after escape decoding and case folding) become markers,
 * whole subtrees included; every other string goes through the {@link TextMasker} (JWTs anywhere,
 * {@code password=…} inside strings). Numbers are copied as their text, never converted.
 *
 * <p>When the parser stops early (a body cut at the capture limit, or text that is not JSON at
 * all) the output so far is kept and the unparsed rest is pattern-masked as text; if the cut falls
 * inside a sensitive value, that partial value becomes a marker and nothing of it is kept.
 * Beyond {@code maxDepth} the rest is dropped and reported as such.
 */
final class JsonMasker {

    /** What came out, and whether part of the input is not represented (dropped, not just cut). */
    record Result(String text, boolean dropped) {
    }

    private final JsonFactory factory;
    /** The same leniency without comments: a comment is text no token check sees. */
    private final JsonFactory checker;
    private final TextMasker text;
    private final Names fields;
    private final int maxDepth;

    JsonMasker(TextMasker text, Names fields, int maxDepth) {
        this.text = text;
        this.fields = fields;
        this.maxDepth = maxDepth;
        this.factory = factory(maxDepth, true);
        this.checker = factory(maxDepth, false);
    }

    private static JsonFactory factory(int maxDepth, boolean comments) {
        return JsonFactory.builder()
                // Accept what sloppy clients send, so more of it is masked structurally rather than as text.
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS, JsonReadFeature.ALLOW_SINGLE_QUOTES,
                        JsonReadFeature.ALLOW_UNQUOTED_FIELD_NAMES, JsonReadFeature.ALLOW_TRAILING_COMMA,
                        JsonReadFeature.ALLOW_MISSING_VALUES,
                        JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS, JsonReadFeature.ALLOW_LEADING_PLUS_SIGN_FOR_NUMBERS,
                        JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS,
                        JsonReadFeature.ALLOW_TRAILING_DECIMAL_POINT_FOR_NUMBERS,
                        JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
                .configure(JsonReadFeature.ALLOW_JAVA_COMMENTS, comments)
                // Parser exceptions must never carry body text (they are not logged, but still).
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                // Attacker-chosen names stay out of the shared symbol table.
                .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth + 16)
                        .maxNumberLength(Integer.MAX_VALUE)
                        .maxStringLength(Integer.MAX_VALUE)
                        .maxNameLength(Integer.MAX_VALUE)
                        .build())
                .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT) // never invent closing brackets
                .build();
    }

    Result mask(String json) {
        if (unchanged(json)) {
            return new Result(json, false);
        }
        StringWriter out = new StringWriter(json.length() + 32);
        JsonGenerator g;
        JsonParser p;
        try {
            g = factory.createGenerator(out);
            p = factory.createParser(json);
        } catch (IOException cannotHappenInMemory) {
            return new Result(text.mask(json), false);
        }
        String pending = null;
        boolean secret = false; // whether pending is a sensitive name, decided once per name
        int depth = 0;
        int lastOffset = 0;
        boolean skipping = false;
        try (p) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> {
                        pending = p.currentName();
                        secret = fields.matches(pending);
                        continue; // the offset stays before the name: a cut value drags its name into the tail
                    }
                    case START_OBJECT, START_ARRAY -> {
                        if (pending != null && secret) {
                            g.writeFieldName(name(pending));
                            g.writeString(SensitiveNames.marker(TextMasker.markerName(pending, 0, pending.length())));
                            pending = null;
                            skipping = true;
                            skipChildren(p);
                            skipping = false;
                        } else {
                            if (depth >= maxDepth) {
                                g.flush();
                                out.write("…«truncated:nested deeper than " + maxDepth + "»");
                                return new Result(out.toString(), true);
                            }
                            writePending(g, pending);
                            pending = null;
                            depth++;
                            if (t == JsonToken.START_OBJECT) {
                                g.writeStartObject();
                            } else {
                                g.writeStartArray();
                            }
                        }
                    }
                    case END_OBJECT -> {
                        depth--;
                        g.writeEndObject();
                    }
                    case END_ARRAY -> {
                        depth--;
                        g.writeEndArray();
                    }
                    case VALUE_STRING -> {
                        String v = p.getText();
                        if (pending != null && secret) {
                            g.writeFieldName(name(pending));
                            g.writeString(v.isEmpty() ? v : text.maskValue(v, pending));
                        } else {
                            writePending(g, pending);
                            g.writeString(text.mask(v));
                        }
                        pending = null;
                    }
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                        if (pending != null && secret) {
                            g.writeFieldName(name(pending));
                            g.writeString(SensitiveNames.marker(TextMasker.markerName(pending, 0, pending.length())));
                        } else {
                            writePending(g, pending);
                            if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                                g.writeBoolean(t == JsonToken.VALUE_TRUE);
                            } else {
                                g.writeNumber(p.getText()); // as written: 1e400, 30-digit ids, NaN
                            }
                        }
                        pending = null;
                    }
                    case VALUE_NULL -> {
                        writePending(g, pending); // a null secret reveals nothing
                        pending = null;
                        g.writeNull();
                    }
                    default -> {
                        writePending(g, pending);
                        pending = null;
                        g.writeNull();
                    }
                }
                lastOffset = (int) p.currentLocation().getCharOffset();
            }
            g.flush();
            return new Result(out.toString(), false);
        } catch (IOException | RuntimeException stopped) {
            // Cut at the capture limit, not JSON at all, or a constraint hit: keep what is done, mask the rest.
            boolean endOfInput = stopped instanceof JsonEOFException;
            try {
                if (skipping) {
                    g.flush();
                    return new Result(out.toString(), !endOfInput);
                }
                if (pending != null && secret) {
                    // The cut (or broken) value is a secret: a marker, and nothing of its text.
                    g.writeFieldName(name(pending));
                    g.writeString(SensitiveNames.marker(TextMasker.markerName(pending, 0, pending.length())));
                    g.flush();
                    return new Result(out.toString(), !endOfInput);
                }
                g.flush();
            } catch (IOException | RuntimeException generatorState) {
                // keep what was flushed
            }
            StringBuilder b = new StringBuilder(json.length() + 64).append(out.getBuffer());
            text.maskInto(json, Math.min(lastOffset, json.length()), json.length(), false, b);
            return new Result(b.toString(), false);
        }
    }

    /**
     * Whether masking would change nothing: the text parses completely, stays within the depth
     * limit, no name is sensitive and no name or string holds anything the text rules replace.
     * Most bodies are like that, and then the original is kept as sent (its formatting included)
     * for the cost of one parse, without re-generating it. Everything else takes the full pass.
     */
    private boolean unchanged(String json) {
        try (JsonParser p = checker.createParser(json)) {
            int depth = 0;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> {
                        String n = p.currentName();
                        if (fields.matches(n) || text.mask(n) != n) {
                            return false;
                        }
                    }
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > maxDepth) {
                            return false;
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_STRING -> {
                        String v = p.getText();
                        if (text.mask(v) != v) {
                            return false;
                        }
                    }
                    default -> {
                        // numbers, booleans and nulls are only secret under a sensitive name
                    }
                }
            }
            return true;
        } catch (IOException | RuntimeException cutOrNotJson) {
            return false;
        }
    }

    private void writePending(JsonGenerator g, String pending) throws IOException {
        if (pending != null) {
            g.writeFieldName(name(pending));
        }
    }

    /** Field names are text too: a JWT used as a key is replaced like any other. */
    private String name(String n) {
        return text.mask(n);
    }

    private static void skipChildren(JsonParser p) throws IOException {
        int open = 1;
        while (open > 0) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new IOException("end of input inside a masked value");
            }
            if (t.isStructStart()) {
                open++;
            } else if (t.isStructEnd()) {
                open--;
            }
        }
    }
}
