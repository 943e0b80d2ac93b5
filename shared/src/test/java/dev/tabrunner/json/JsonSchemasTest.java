package dev.tabrunner.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonSchemasTest {
    private static JsonNode json(String s) throws Exception {
        return Json.mapper().readTree(s);
    }

    @Test
    void validDocument_hasNoProblems_andInvalidOnesSayWhy() throws Exception {
        JsonSchemas.Compiled schema = JsonSchemas.compile(json("{\"type\":\"object\",\"required\":[\"price\"],"
                + "\"properties\":{\"price\":{\"type\":\"number\"},\"items\":{\"type\":\"array\","
                + "\"items\":{\"$ref\":\"#/$defs/item\"}}},\"$defs\":{\"item\":{\"type\":\"string\"}}}"));
        assertThat(schema.validate(json("{\"price\":12.5,\"items\":[\"a\"]}"))).isEmpty();
        assertThat(schema.validate(json("{\"items\":[1]}")))
                .anySatisfy(m -> assertThat(m).contains("price"))
                .anySatisfy(m -> assertThat(m).contains("items[0]"));
    }

    @Test
    void olderDrafts_areUnderstood() throws Exception {
        JsonSchemas.Compiled schema = JsonSchemas.compile(json("{\"$schema\":\"http://json-schema.org/draft-07/"
                + "schema#\",\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\",\"minimum\":3}}}"));
        assertThat(schema.validate(json("{\"n\":2}"))).hasSize(1);
    }

    @Test
    void malformedSchema_isRefusedWithItsProblems() {
        assertThatThrownBy(() -> JsonSchemas.compile(json("{\"type\":\"objekt\"}")))
                .isInstanceOf(JsonSchemas.InvalidSchemaException.class);
        assertThatThrownBy(() -> JsonSchemas.compile(json("{\"properties\":{\"a\":{\"minLength\":\"three\"}}}")))
                .isInstanceOf(JsonSchemas.InvalidSchemaException.class);
        assertThatThrownBy(() -> JsonSchemas.compile(json("[1]")))
                .isInstanceOf(JsonSchemas.InvalidSchemaException.class);
        assertThatThrownBy(() -> JsonSchemas.compile(json("{\"$schema\":\"http://example.com/mine\"}")))
                .hasMessageContaining("not supported");
    }

    @Test
    void remoteRef_isRefused_andNeverFetched() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            byte[] body = "{\"type\":\"string\"}".getBytes();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/s.json";
            assertThatThrownBy(() -> JsonSchemas.compile(json("{\"type\":\"object\",\"properties\":{\"a\":"
                    + "{\"$ref\":\"" + url + "\"}}}")))
                    .isInstanceOf(JsonSchemas.InvalidSchemaException.class);
            assertThatThrownBy(() -> JsonSchemas.compile(json("{\"$ref\":\"classpath:logback-test.xml\"}")))
                    .isInstanceOf(JsonSchemas.InvalidSchemaException.class);
            assertThatThrownBy(() -> JsonSchemas.compile(json("{\"$ref\":\"file:///etc/passwd\"}")))
                    .isInstanceOf(JsonSchemas.InvalidSchemaException.class);
            assertThat(requests.get()).isZero();
        } finally {
            server.stop(0);
        }
    }

    private static String nested(int depth) {
        return "{\"type\":\"object\",\"properties\":{\"a\":".repeat(depth) + "{\"type\":\"string\"}"
                + "}}".repeat(depth);
    }

    @Test
    void aSchemaNestedHundredsOfLevels_isRefused_notAStackOverflow() throws Exception {
        for (int depth : new int[]{400, 5_000}) {
            JsonNode deep = new com.fasterxml.jackson.databind.ObjectMapper(
                    com.fasterxml.jackson.core.JsonFactory.builder().streamReadConstraints(
                            com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(20_000)
                                    .build()).build()).readTree(nested(depth));
            assertThatThrownBy(() -> JsonSchemas.compile(deep)).as("depth " + depth)
                    .isInstanceOf(JsonSchemas.InvalidSchemaException.class).hasMessageContaining("nested more than");
        }
        // 2 levels of JSON per level of properties: 31 levels of properties is 63 levels of JSON
        assertThat(JsonSchemas.compile(json(nested(31))).validate(json("{\"a\":{}}"))).isEmpty();
    }

    @Test
    void aSchemaWithTooManyValues_isRefused() {
        StringBuilder wide = new StringBuilder("{\"type\":\"object\",\"properties\":{");
        for (int i = 0; i < 6_000; i++) {
            wide.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":{\"type\":\"string\"}");
        }
        wide.append("}}");
        assertThatThrownBy(() -> JsonSchemas.compile(json(wide.toString())))
                .isInstanceOf(JsonSchemas.InvalidSchemaException.class).hasMessageContaining("more than");
    }
}
