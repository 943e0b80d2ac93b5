package dev.tabrunner.nativeapi;

import dev.tabrunner.http.ApiException;
import dev.tabrunner.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AnswerRequestTest {
    private static String read(String body) throws Exception {
        return AnswerRequest.read(Json.mapper().readTree(body));
    }

    private static String refusedField(String body) throws Exception {
        var node = Json.mapper().readTree(body);
        ApiException e = catchThrowableOfType(ApiException.class, () -> AnswerRequest.read(node));
        assertThat(e).as(body).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        return (String) e.details().get("field");
    }

    @Test
    void theAnswer_isReadAsGiven() throws Exception {
        assertThat(read("{\"answer\":\"the blue one\"}")).isEqualTo("the blue one");
        assertThat(read("{\"answer\":\"" + "a".repeat(AnswerRequest.MAX_ANSWER) + "\"}"))
                .hasSize(AnswerRequest.MAX_ANSWER);
    }

    @Test
    void aMissingBlankOrOverlongAnswer_isRefused() throws Exception {
        assertThat(refusedField("{}")).isEqualTo("answer");
        assertThat(refusedField("{\"answer\":\"  \"}")).isEqualTo("answer");
        assertThat(refusedField("{\"answer\":42}")).isEqualTo("answer");
        assertThat(refusedField("{\"answer\":\"" + "a".repeat(AnswerRequest.MAX_ANSWER + 1) + "\"}"))
                .isEqualTo("answer");
    }

    @Test
    void anotherField_isRefused_namingIt() throws Exception {
        assertThat(refusedField("{\"answer\":\"yes\",\"mood\":\"good\"}")).isEqualTo("mood");
    }
}
