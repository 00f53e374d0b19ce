package dev.tokentrail.index.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.tokentrail.index.model.AuditEvent;
import dev.tokentrail.index.model.Exchange;
import dev.tokentrail.index.model.Finding;
import dev.tokentrail.index.model.ReplayRecord;
import dev.tokentrail.index.model.TokenEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;

/**
 * The JSON form of records: what a shard stores as payload and what the viewer's API returns.
 * Times are ISO-8601 instants, latencies ISO-8601 durations; nulls are left out.
 */
public final class RecordCodec {

    private static final ObjectMapper JSON = mapper();

    private RecordCodec() {
    }

    /** A mapper that knows the model's time types; the viewer reuses it for its API. */
    public static ObjectMapper mapper() {
        SimpleModule time = new SimpleModule("tokentrail-time");
        time.addSerializer(Instant.class, new JsonSerializer<>() {
            @Override
            public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.toString());
            }
        });
        time.addDeserializer(Instant.class, new JsonDeserializer<>() {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return Instant.parse(p.getValueAsString());
            }
        });
        time.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration v, JsonGenerator g, SerializerProvider p) throws IOException {
                g.writeString(v.toString());
            }
        });
        time.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext c) throws IOException {
                return Duration.parse(p.getValueAsString());
            }
        });
        return new ObjectMapper().registerModule(time)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** The record's kind as stored in {@link Schema#KIND}. */
    public static String kind(ReplayRecord r) {
        return Documents.kind(r);
    }

    static byte[] encode(ReplayRecord r) {
        try {
            return JSON.writeValueAsBytes(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a stored {@link Schema#PAYLOAD}: a kind marker byte, then the record's JSON. */
    public static ReplayRecord fromPayload(byte[] bytes, int offset, int length) {
        if (length < 2) {
            throw new IllegalArgumentException("empty record payload");
        }
        Class<? extends ReplayRecord> type = switch (bytes[offset]) {
            case Documents.EXCHANGE -> Exchange.class;
            case Documents.EVENT -> TokenEvent.class;
            case Documents.FINDING -> Finding.class;
            case Documents.AUDIT -> AuditEvent.class;
            default -> throw new IllegalArgumentException("unknown record kind marker " + bytes[offset]);
        };
        try {
            return JSON.readValue(bytes, offset + 1, length - 1, type);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable " + type.getSimpleName() + " payload", e);
        }
    }

    /** A record as JSON text (what the viewer's API returns). */
    public static String toJson(ReplayRecord r) {
        return new String(encode(r), java.nio.charset.StandardCharsets.UTF_8);
    }
}
