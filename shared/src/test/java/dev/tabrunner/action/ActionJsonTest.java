package dev.tabrunner.action;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ActionJsonTest {
    @Test
    void everyActionType_roundTripsThroughTheParser() throws Exception {
        JsonNode body = Json.mapper().readTree("{\"actions\":["
                + "{\"type\":\"navigate\",\"url\":\"https://example.com/a\",\"waitUntil\":\"networkidle\"},"
                + "{\"type\":\"click\",\"selector\":\"#b\",\"timeoutMs\":500},"
                + "{\"type\":\"click\",\"coordinates\":{\"x\":1.5,\"y\":2}},"
                + "{\"type\":\"type\",\"selector\":\"#n\",\"text\":\"Ada\"},"
                + "{\"type\":\"press\",\"key\":\"Enter\",\"selector\":\"#n\"},"
                + "{\"type\":\"scroll\",\"text\":\"bottom\"},"
                + "{\"type\":\"scroll\",\"coordinates\":{\"x\":0,\"y\":600}},"
                + "{\"type\":\"wait\",\"text\":\"Done\"},"
                + "{\"type\":\"evaluate\",\"script\":\"document.title\"},"
                + "{\"type\":\"screenshot\",\"selector\":\"#c\"},"
                + "{\"type\":\"uploadFile\",\"selector\":\"#f\",\"filename\":\"a.csv\"},"
                + "{\"type\":\"select\",\"selector\":\"#s\",\"text\":\"Green\"},"
                + "{\"type\":\"hover\",\"selector\":\"#h\"},"
                + "{\"type\":\"authenticate\",\"mode\":\"vault\",\"credentialId\":"
                + "\"0b7f1c9e-4a51-4a53-9d0e-0a3c9b0c1d2e\",\"selectors\":{\"username\":\"#u\"},"
                + "\"success\":{\"condition\":\"url\",\"value\":\"/home\",\"timeoutMs\":3000}}]}");
        TaskRequest parsed = TaskRequestParser.parse(body);
        var again = Json.mapper().createArrayNode();
        parsed.actions().forEach(a -> again.add(ActionJson.toJson(a)));
        TaskRequest reparsed = TaskRequestParser.parse(Json.mapper().createObjectNode().set("actions", again));
        assertThat(reparsed.actions()).isEqualTo(parsed.actions());
    }
}
