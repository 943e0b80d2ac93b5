package dev.tabrunner.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProductErrorFormatTest {
    /** Written as the API writes responses: nulls included. */
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anError_keepsItsStatus_andShowsItsDetailsAfterTheMessage() throws Exception {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("field", "actions[0].url");
        details.put("actionIndex", 0);
        details.put("actionType", "navigate");

        ErrorFormat.ErrorAnswer a = ProductErrorFormat.INSTANCE.answer(400, "invalid_request", "bad url", details);

        assertThat(a.status()).isEqualTo(400);
        assertThat(JSON.writeValueAsString(a.body())).isEqualTo("{\"error\":{\"status\":400,"
                + "\"code\":\"invalid_request\",\"message\":\"bad url\",\"field\":\"actions[0].url\","
                + "\"actionIndex\":0,\"actionType\":\"navigate\"}}");
    }

    @Test
    void anErrorWithoutDetails_isStatusCodeAndMessage() throws Exception {
        assertThat(JSON.writeValueAsString(ProductErrorFormat.body(404, "task_not_found", "task t not found")))
                .isEqualTo("{\"error\":{\"status\":404,\"code\":\"task_not_found\",\"message\":\"task t not found\"}}");
    }

    @Test
    void problems_areOne400_namingTheFirstProblemsField() throws Exception {
        ErrorFormat.ErrorAnswer a = ProductErrorFormat.INSTANCE.problems(List.of(
                new RequestProblem(List.of("body", "task"), "Field required", "missing"),
                new RequestProblem(List.of("query", "page"), "Input should be a valid integer", "int_parsing")));

        assertThat(a.status()).isEqualTo(400);
        assertThat(JSON.writeValueAsString(a.body())).isEqualTo("{\"error\":{\"status\":400,"
                + "\"code\":\"invalid_request\",\"message\":\"task: Field required; page: Input should be a valid"
                + " integer\",\"field\":\"task\"}}");
    }
}
