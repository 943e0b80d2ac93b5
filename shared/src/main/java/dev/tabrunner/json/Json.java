package dev.tabrunner.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON configuration of the product: ISO-8601 instants, no nulls written, duplicate keys and content after
 * the value refused.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            // No field-name symbol table: it is shared by every parser of the mapper, and one body of colliding
            // names (refused itself) left it corrupted so that later bodies failed with IllegalStateException.
            // Found by fuzzing (docs/security.md); our bodies are small, so the saved allocations do not matter.
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build())
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // a body is one JSON value: "{...} {...}" is malformed (400), not the first object with the rest ignored
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
