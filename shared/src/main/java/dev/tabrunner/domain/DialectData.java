package dev.tabrunner.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;

import java.util.Objects;

/**
 * What an API dialect keeps with a task it created, for its own views (browser-use v1: the task text as given,
 * metadata, the share token, ...). Stores keep it as given; only the dialect that wrote it reads {@code data}.
 *
 * @param name the dialect's name; stores index it, so that a dialect can list the tasks it created
 * @param data the dialect's own fields, opaque to everyone else
 */
public record DialectData(String name, JsonNode data) {
    public DialectData {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a dialect has a name");
        }
        data = data == null ? Json.mapper().createObjectNode() : data;
    }
}
