package dev.tabrunner.browsing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.http.Dialect;
import dev.tabrunner.http.Dialects;
import dev.tabrunner.http.ErrorFormat;
import dev.tabrunner.http.ProductErrorFormat;
import dev.tabrunner.http.RequestProblem;
import dev.tabrunner.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BrowsingErrorFormatTest {
    private static JsonNode json(ErrorFormat.ErrorAnswer a) {
        return Json.mapper().valueToTree(a.body());
    }

    @Test
    void anError_isItsCodeAndMessage_withTheStatusItHas() {
        ErrorFormat.ErrorAnswer a = BrowsingErrorFormat.INSTANCE.answer(404, "task_not_found", "task x not found",
                Map.of("field", "task_id"));

        assertThat(a.status()).isEqualTo(404);
        assertThat(json(a).toString()).isEqualTo("{\"error\":{\"code\":\"task_not_found\","
                + "\"message\":\"task x not found\"}}");
    }

    @Test
    void anErrorAboutATaskThatExists_carriesItsId() {
        ErrorFormat.ErrorAnswer a = BrowsingErrorFormat.INSTANCE.answer(504, "sync_timeout", "still running",
                Map.of(BrowsingErrorFormat.TASK_ID, "t-1"));

        assertThat(a.status()).isEqualTo(504);
        assertThat(json(a).toString()).isEqualTo("{\"error\":{\"code\":\"sync_timeout\","
                + "\"message\":\"still running\"},\"task_id\":\"t-1\"}");
    }

    @Test
    void requestProblems_areOne400_namingEach() {
        ErrorFormat.ErrorAnswer a = BrowsingErrorFormat.INSTANCE.problems(List.of(
                new RequestProblem(List.of("query", "task_id"), "Field required", "missing"),
                new RequestProblem(List.of("body", "filter", "node_uid"), "too long", "value_error")));

        assertThat(a.status()).isEqualTo(400);
        assertThat(json(a).at("/error/code").asText()).isEqualTo("invalid_request");
        assertThat(json(a).at("/error/message").asText()).isEqualTo("task_id: Field required; filter.node_uid: too"
                + " long");
    }

    @Test
    void theBrowsingPrefix_winsOverBrowserUseV1s() {
        Dialect v1 = new Dialect() {
            @Override
            public String name() {
                return "browser-use-v1";
            }

            @Override
            public List<String> pathPrefixes() {
                return List.of("/api/v1/");
            }

            @Override
            public ErrorFormat errorFormat() {
                return ProductErrorFormat.INSTANCE;
            }
        };
        Dialects dialects = new Dialects(List.of(v1, new BrowsingDialect()));

        assertThat(dialects.errorFormat("/api/v1/browsing/status")).isSameAs(BrowsingErrorFormat.INSTANCE);
        assertThat(dialects.errorFormat("/api/v1/run-task")).isSameAs(ProductErrorFormat.INSTANCE);
        assertThat(dialects.isPublic("/api/v1/browsing/nodes")).isFalse();
    }
}
