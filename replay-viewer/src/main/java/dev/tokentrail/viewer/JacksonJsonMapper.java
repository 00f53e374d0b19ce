package dev.tokentrail.viewer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;

/** Javalin's JSON through replay-index's mapper, so the API writes records exactly as shards store them. */
final class JacksonJsonMapper implements JsonMapper {

    private final ObjectMapper json;

    JacksonJsonMapper(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public String toJsonString(Object obj, Type type) {
        try {
            return json.writeValueAsString(obj);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public <T> T fromJsonString(String s, Type type) {
        try {
            return json.readValue(s, json.constructType(type));
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not valid JSON for this request");
        }
    }

    @Override
    public <T> T fromJsonStream(InputStream in, Type type) {
        try {
            return json.readValue(in, json.constructType(type));
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not valid JSON for this request");
        }
    }
}
