package dev.tabrunner.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema (drafts 4 to 2020-12, 2020-12 when {@code $schema} is absent) for callers' {@code outputSchema}s.
 * Schemas are caller input and are checked on the API, so nothing is ever fetched: a {@code $ref} may point inside
 * the schema, and the standard meta-schemas come from the validator's own jar. A remote or file {@code $ref}
 * is refused, which keeps the API from being made to request arbitrary URLs.
 */
public final class JsonSchemas {
    /** Upper bound of messages reported, so a huge invalid document cannot produce a huge error. */
    private static final int MAX_MESSAGES = 20;
    /**
     * Deepest nesting of a schema (objects and arrays): the validator compiles and checks recursively, so a schema
     * nested a few hundred levels overflowed its stack (a 500). Real output schemas are a handful of levels deep.
     */
    public static final int MAX_DEPTH = 64;
    /** Most values (objects, arrays, scalars) in one schema. */
    public static final int MAX_NODES = 10_000;
    private static final Map<String, String> META_SCHEMAS = Map.of(
            "http://json-schema.org/draft-04/schema#", SchemaId.V4,
            "http://json-schema.org/draft-06/schema#", SchemaId.V6,
            "http://json-schema.org/draft-07/schema#", SchemaId.V7,
            "https://json-schema.org/draft/2019-09/schema", SchemaId.V201909,
            "https://json-schema.org/draft/2020-12/schema", SchemaId.V202012);

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.metaSchema(JsonMetaSchema.getV4()).metaSchema(JsonMetaSchema.getV6())
                    .metaSchema(JsonMetaSchema.getV7()).metaSchema(JsonMetaSchema.getV201909())
                    // a caller's schema loads nothing: no URL, no file, and of this process's resources only the
                    // JSON Schema meta-schemas the library keeps under classpath:draft...
                    .schemaLoaders(loaders -> loaders.values(list -> list.add(0, new AllowSchemaLoader(
                            iri -> iri.toString().matches("classpath:draft[-/0-9.]*/[a-z0-9/-]+"))))));

    private JsonSchemas() {
    }

    /** A schema ready to validate documents. */
    public static final class Compiled {
        private final JsonSchema schema;

        private Compiled(JsonSchema schema) {
            this.schema = schema;
        }

        /** Why {@code document} does not match, one line per problem; empty when it matches. */
        public List<String> validate(JsonNode document) {
            return messages(schema.validate(document));
        }
    }

    /**
     * Checks a schema against its meta-schema and compiles it.
     *
     * @throws InvalidSchemaException listing what is wrong with it
     */
    public static Compiled compile(JsonNode schema) {
        if (schema == null || !(schema.isObject() || schema.isBoolean())) {
            throw new InvalidSchemaException(List.of("a JSON Schema is an object (or true/false)"));
        }
        bounded(schema);
        String declared = schema.path("$schema").asText(null);
        String meta = declared == null ? SchemaId.V202012 : META_SCHEMAS.get(declared);
        if (meta == null) {
            throw new InvalidSchemaException(List.of("$schema '" + declared + "' is not supported; use one of "
                    + new java.util.TreeSet<>(META_SCHEMAS.keySet())));
        }
        try {
            List<String> problems = messages(FACTORY.getSchema(SchemaLocation.of(meta)).validate(schema));
            if (!problems.isEmpty()) {
                throw new InvalidSchemaException(problems);
            }
            JsonSchema compiled = FACTORY.getSchema(schema);
            // resolves every $ref now, so a reference that cannot be loaded fails here and not on first use
            compiled.initializeValidators();
            return new Compiled(compiled);
        } catch (JsonSchemaException | IllegalArgumentException e) {
            throw new InvalidSchemaException(List.of(e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()));
        }
    }

    /** Measures the schema without recursion, so that measuring cannot overflow either. */
    private static void bounded(JsonNode schema) {
        java.util.ArrayDeque<JsonNode> level = new java.util.ArrayDeque<>(List.of(schema));
        int depth = 0;
        int nodes = 0;
        while (!level.isEmpty()) {
            depth++;
            if (depth > MAX_DEPTH) {
                throw new InvalidSchemaException(List.of("the schema is nested more than " + MAX_DEPTH + " levels"));
            }
            java.util.ArrayDeque<JsonNode> next = new java.util.ArrayDeque<>();
            for (JsonNode n : level) {
                nodes++;
                if (nodes > MAX_NODES) {
                    throw new InvalidSchemaException(List.of("the schema has more than " + MAX_NODES + " values"));
                }
                n.forEach(next::add);
            }
            level = next;
        }
    }

    private static List<String> messages(Set<ValidationMessage> found) {
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : found) {
            if (out.size() == MAX_MESSAGES) {
                out.add("… and " + (found.size() - MAX_MESSAGES) + " more");
                break;
            }
            out.add(m.getMessage());
        }
        return out;
    }

    /** A schema that is not a valid JSON Schema, or refers to something that may not be loaded. */
    public static final class InvalidSchemaException extends RuntimeException {
        private final List<String> problems;

        public InvalidSchemaException(List<String> problems) {
            super(String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
