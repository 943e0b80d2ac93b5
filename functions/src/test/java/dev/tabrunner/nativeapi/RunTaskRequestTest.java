package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.Viewport;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RunTaskRequestTest {
    private static final String SECRET = "hunter2-but-longer";

    private static RunTaskRequest read(String body) throws Exception {
        JsonNode json = Json.mapper().readTree(body);
        return RunTaskRequest.read(json, AgentTaskRequestParser.parse(json, RunTaskRequest.FIELDS));
    }

    @Test
    void theTask_alwaysEndsItsSession_andKeepsItsSecrets() throws Exception {
        RunTaskRequest r = read("{\"taskDetails\":\"find the price\",\"secrets\":[{\"name\":\"pw\",\"value\":\""
                + SECRET + "\"}]}");

        assertThat(r.task().request().taskDetails()).isEqualTo("find the price");
        assertThat(r.task().request().terminateOnCompletion()).isTrue();
        assertThat(r.task().secrets().values()).containsEntry("pw", SECRET);
        assertThat(r.session()).isEqualTo(SessionOptions.defaults());
    }

    @Test
    void sessionOptions_besideTheTasksFields_configureItsSession() throws Exception {
        RunTaskRequest r = read("{\"taskDetails\":\"t\",\"viewport\":{\"width\":800,\"height\":600},"
                + "\"locale\":\"fr-FR\",\"terminateOnCompletion\":true}");

        assertThat(r.session().viewport()).isEqualTo(new Viewport(800, 600));
        assertThat(r.session().locale()).isEqualTo("fr-FR");
    }

    @Test
    void askingToKeepTheSession_isRefused() throws Exception {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> read("{\"taskDetails\":\"t\",\"terminateOnCompletion\":false}"));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.details()).containsEntry("field", "terminateOnCompletion");
    }

    @Test
    void aWrongSessionOption_isRefused_namingIt() throws Exception {
        ApiException e = catchThrowableOfType(ApiException.class,
                () -> read("{\"taskDetails\":\"t\",\"timezoneId\":\"Nowhere/Else\"}"));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.details()).containsEntry("field", "timezoneId");
    }

    @Test
    void theAllowedFields_areTheTasksAndTheSessions() {
        assertThat(RunTaskRequest.FIELDS).containsAll(AgentTaskRequestParser.FIELDS)
                .containsAll(SessionRequest.FIELDS)
                .hasSize(AgentTaskRequestParser.FIELDS.size() + SessionRequest.FIELDS.size());
    }
}
