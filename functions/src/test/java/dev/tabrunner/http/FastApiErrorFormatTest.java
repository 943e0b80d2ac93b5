package dev.tabrunner.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FastApiErrorFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FastApiErrorFormat format = FastApiErrorFormat.INSTANCE;

    private static String json(ErrorFormat.ErrorAnswer a) throws Exception {
        return JSON.writeValueAsString(a.body());
    }

    @Test
    void anError_isADetailMessage_withItsStatus() throws Exception {
        ErrorFormat.ErrorAnswer a = format.answer(404, "task_not_found", "Task not found", Map.of());

        assertThat(a.status()).isEqualTo(404);
        assertThat(json(a)).isEqualTo("{\"detail\":\"Task not found\"}");
    }

    @Test
    void a400_isA422WithOneProblem_atItsField() throws Exception {
        ErrorFormat.ErrorAnswer a = format.answer(400, "invalid_request", "cursor: not valid",
                Map.of("field", "cursor"));

        assertThat(a.status()).isEqualTo(422);
        assertThat(json(a)).isEqualTo("{\"detail\":[{\"loc\":[\"body\",\"cursor\"],\"msg\":\"cursor: not valid\","
                + "\"type\":\"value_error\"}]}");
    }

    @Test
    void malformedJson_isAJsonInvalidProblem() throws Exception {
        ErrorFormat.ErrorAnswer a = format.answer(400, "invalid_json", "malformed JSON", Map.of());

        assertThat(a.status()).isEqualTo(422);
        assertThat(json(a)).isEqualTo("{\"detail\":[{\"loc\":[\"body\"],\"msg\":\"malformed JSON\","
                + "\"type\":\"json_invalid\"}]}");
    }

    @Test
    void problems_areA422_listingEveryOne() throws Exception {
        ErrorFormat.ErrorAnswer a = format.problems(List.of(
                new RequestProblem(List.of("body", "task"), "Field required", "missing"),
                new RequestProblem(List.of("body", "secrets", "pw"), "String should have at most 10 characters",
                        "string_too_long")));

        assertThat(a.status()).isEqualTo(422);
        assertThat(json(a)).isEqualTo("{\"detail\":[{\"loc\":[\"body\",\"task\"],\"msg\":\"Field required\","
                + "\"type\":\"missing\"},{\"loc\":[\"body\",\"secrets\",\"pw\"],"
                + "\"msg\":\"String should have at most 10 characters\",\"type\":\"string_too_long\"}]}");
    }
}
