package dev.tabrunner.docs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.Dialects;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The API reference served at {@code /openapi.json} and {@code /openapi.yaml}: the document micronaut-openapi
 * generated from the controllers at build time ({@code openapi.properties}), completed with what only the running
 * API knows - each operation's error body is its dialect's ({@link Dialects}, the same lookup the exception handlers
 * use), and the pages that need no key say so. The build writes it as JSON and the YAML form is written here
 * ({@link YamlText}): the API function's artifact carries no YAML parser, which Micronaut would otherwise load on
 * every cold start. Built on the first request for it.
 */
@Singleton
public final class OpenApiDocument {
    static final String RESOURCE = "META-INF/swagger/tabrunner.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final Dialects dialects;
    private volatile Texts texts;

    public OpenApiDocument(Dialects dialects) {
        this.dialects = dialects;
    }

    public String json() {
        return texts().json();
    }

    public String yaml() {
        return texts().yaml();
    }

    private record Texts(String json, String yaml) {
    }

    private Texts texts() {
        Texts t = texts;
        if (t == null) {
            ObjectNode document = load();
            complete(document, dialects);
            try {
                t = new Texts(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document),
                        YamlText.of(document));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the OpenAPI document cannot be written", e);
            }
            texts = t;
        }
        return t;
    }

    private static ObjectNode load() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: the build generates it (micronaut-openapi)");
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    private static void complete(ObjectNode document, Dialects dialects) {
        cdpGateway(document);
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            String schema = dialects.errorFormat(path.getKey()).schemaName();
            boolean open = dialects.isPublic(concrete(path.getKey()));
            Iterator<Map.Entry<String, JsonNode>> operations = path.getValue().fields();
            while (operations.hasNext()) {
                Map.Entry<String, JsonNode> op = operations.next();
                if (!METHODS.contains(op.getKey()) || !(op.getValue() instanceof ObjectNode operation)) {
                    continue;
                }
                ObjectNode error = operation.with("responses").putObject("default");
                error.put("description", "An error, in this dialect's format");
                error.putObject("content").putObject("application/json").putObject("schema")
                        .put("$ref", "#/components/schemas/" + schema);
                if (open) {
                    // no key: a link's token, or nothing at all
                    operation.putArray("security");
                } else if (dialects.apiKeyHeader(path.getKey()).isPresent()) {
                    // the dialect's own key header, or Bearer
                    ArrayNode either = operation.putArray("security");
                    either.addObject().putArray(ApiDefinition.BEARER);
                    either.addObject().putArray(ApiDefinition.BROWSER_USE_KEY);
                }
                for (JsonNode parameter : operation.path("parameters")) {
                    nullableScalar(parameter.path("schema"));
                }
            }
        }
    }

    /**
     * The CDP gateway is a WebSocket endpoint, which micronaut-openapi does not see: described here, so that the
     * document names every route the server answers.
     */
    private static void cdpGateway(ObjectNode document) {
        ObjectNode get = document.with("paths").putObject("/browser/sessions/{sessionId}/cdp").putObject("get");
        get.putArray("tags").add(ApiDefinition.NATIVE);
        get.put("summary", "Drive the session's browser over CDP (WebSocket)");
        get.put("description", "The cdpUrl of POST /browser/sessions/{sessionId}/connect (single-use, 2 minutes)"
                + " or of a v2 browser (POST /api/v2/browsers: opened again and again, one client at a time, while"
                + " the browser is active): a WebSocket that chromium.connectOverCDP and puppeteer.connect open."
                + " Opening it makes the session's connection, which holds the session until the client leaves;"
                + " the gateway relays CDP to the session's browser context only (docs/security.md, \"CDP"
                + " connect\").");
        ArrayNode parameters = get.putArray("parameters");
        ObjectNode session = parameters.addObject();
        session.put("name", "sessionId").put("in", "path").put("required", true);
        session.putObject("schema").put("type", "string");
        ObjectNode token = parameters.addObject();
        token.put("name", "token").put("in", "query").put("required", true);
        token.putObject("schema").put("type", "string");
        get.with("responses").putObject("101").put("description", "Switching Protocols: the CDP session; closed"
                + " with 4404 for an unknown, used or expired link, 4403 when the key that made it was deleted,"
                + " 4410 when the session has ended, 4409 while"
                + " another client is on the link, 4408 when the session stayed busy, 4429 at the tenant's task"
                + " limit");
    }

    /** {@code /live/{taskId}} as a request path would be, for the public-path lookup. */
    private static String concrete(String template) {
        return template.replaceAll("\\{[^}]+}", "x");
    }

    /**
     * The generator writes an optional query or header value as {@code type: [string, "null", object]}; the
     * {@code object} is an artefact of the nullable marker, not a shape the parameter can have.
     */
    private static void nullableScalar(JsonNode schema) {
        if (schema.path("type") instanceof ArrayNode types && types.size() > 1) {
            for (int i = types.size() - 1; i >= 0; i--) {
                if (types.get(i).asText().equals("object")) {
                    types.remove(i);
                }
            }
        }
    }
}
