package dev.tabrunner.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class YamlTextTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void aYamlReaderGetsBackTheSameTree() throws Exception {
        JsonNode tree = JSON.readTree("""
                {"openapi":"3.1.0","paths":{"/browser/sessions/{id}":{"get":{"parameters":[{"name":"id",
                "in":"path","required":true,"schema":{"type":["string","null"]}}],"responses":{"200":{}}}}},
                "on":"yes","null":null,"n":1.5,"list":[[1,2],[],{"a: b":"line\\nbreak \\"quoted\\" #hash"}],
                "empty":{},"unicode":"caf\\u00e9 \\u2603","dash-key":false}""");

        String yaml = YamlText.of(tree);

        assertThat(YAML.readTree(yaml)).isEqualTo(tree);
        assertThat(yaml).contains("openapi: \"3.1.0\"").contains("\"/browser/sessions/{id}\":")
                .contains("\"on\": \"yes\"").contains("dash-key: false");
    }
}
