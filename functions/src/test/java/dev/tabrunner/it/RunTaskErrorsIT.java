package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error status of seed 000, each with a body naming the failing action and the results before it. */
class RunTaskErrorsIT {
    private final TestSystem sys = TestSystem.get();
    private final Api api = sys.newTenant("user");

    @Test
    void unknownActionType_is400_namingTheAction() {
        String session = sys.newSession(api);
        var r = api.runTask(session, "{\"actions\":[{\"type\":\"wait\",\"selector\":\"body\"},{\"type\":\"teleport\"}]}");
        assertThat(r.status()).isEqualTo(400);
        JsonNode e = r.json().get("error");
        assertThat(e.get("actionIndex").asInt()).isEqualTo(1);
        assertThat(e.get("actionType").asText()).isEqualTo("teleport");
        assertThat(e.get("field").asText()).isEqualTo("actions[1].type");
    }

    @Test
    void missingRequiredField_andConflictingFields_are400() {
        String session = sys.newSession(api);
        var missing = api.runTask(session, "{\"actions\":[{\"type\":\"type\",\"selector\":\"#name\"}]}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/error/field").asText()).isEqualTo("actions[0].text");
        var conflict = api.runTask(session, "{\"actions\":[{\"type\":\"click\",\"selector\":\"#a\","
                + "\"coordinates\":{\"x\":1,\"y\":2}}]}");
        assertThat(conflict.status()).isEqualTo(400);
        assertThat(conflict.json().at("/error/message").asText()).contains("conflicting");
        var unknownField = api.runTask(session, "{\"actions\":[{\"type\":\"hover\",\"selector\":\"#a\",\"force\":true}]}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(api.runTask(session, "{\"url\":\"file:///etc/passwd\"}").status()).isEqualTo(400);
        assertThat(api.runTask(session, "[1,2]").status()).isEqualTo(400);
    }

    @Test
    void selectorMatchingNothing_is404_withEarlierResults() {
        String session = sys.newSession(api);
        var r = api.runTask(session, "{\"url\":\"" + sys.url("/form.html") + "\",\"actions\":["
                + "{\"type\":\"type\",\"selector\":\"#name\",\"text\":\"x\"},"
                + "{\"type\":\"click\",\"selector\":\"#does-not-exist\",\"timeoutMs\":500}]}");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("selector_not_found");
        assertThat(r.json().at("/error/actionIndex").asInt()).isEqualTo(1);
        assertThat(r.json().at("/error/actionType").asText()).isEqualTo("click");
        assertThat(r.json().get("results")).hasSize(1);
        assertThat(r.json().get("status").asText()).isEqualTo("failed");
        String taskId = r.json().get("taskId").asText();
        var stored = api.get("/browser/sessions/" + session + "/tasks/" + taskId).json();
        assertThat(stored.get("status").asText()).isEqualTo("failed");
        assertThat(stored.at("/error/status").asInt()).isEqualTo(404);
    }

    @Test
    void waitThatNeverSucceeds_is408() {
        String session = sys.newSession(api);
        var r = api.runTask(session, "{\"url\":\"" + sys.url("/delayed.html") + "\",\"actions\":["
                + "{\"type\":\"wait\",\"selector\":\"#never\",\"timeoutMs\":300}]}");
        assertThat(r.status()).isEqualTo(408);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("wait_timeout");
        var text = api.runTask(session, "{\"actions\":[{\"type\":\"wait\",\"text\":\"no such words\",\"timeoutMs\":300}]}");
        assertThat(text.status()).isEqualTo(408);
    }

    @Test
    void scriptThatThrows_is422_andPageErrorsDoNotFailNavigation() {
        String session = sys.newSession(api);
        var r = api.runTask(session, "{\"url\":\"" + sys.url("/throws.html") + "\",\"actions\":["
                + "{\"type\":\"click\",\"selector\":\"#boom\"},"
                + "{\"type\":\"evaluate\",\"script\":\"(() => { throw new Error('kaput'); })()\"}]}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("evaluate_failed");
        assertThat(r.json().at("/error/message").asText()).contains("kaput");
        assertThat(r.json().get("results")).hasSize(1);
    }

    @Test
    void selectWithAMissingOption_is422() {
        String session = sys.newSession(api);
        var r = api.runTask(session, "{\"url\":\"" + sys.url("/form.html") + "\",\"actions\":["
                + "{\"type\":\"select\",\"selector\":\"#color\",\"text\":\"Purple\",\"timeoutMs\":500}]}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("option_not_found");
    }

    @Test
    void unreachableSite_is422_navigationFailed() {
        String session = sys.newSession(api);
        var r = api.runTask(session, "{\"url\":\"http://127.0.0.1:1/\"}");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("navigation_failed");
    }
}
