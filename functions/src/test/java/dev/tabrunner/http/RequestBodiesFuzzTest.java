package dev.tabrunner.http;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.action.InvalidRequestException;
import dev.tabrunner.nativeapi.TaskBodies;
import dev.tabrunner.testing.TaskBodyProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Fuzz test of the HTTP layer's JSON reading: {@link RequestBodies} may only refuse a body with an
 * {@link ApiException} of status 400 or 413, and a body it accepts then goes through the scripted or the agent
 * task parser as {@code TaskController} routes it; those may only refuse it with {@link InvalidRequestException}.
 * Corpus: {@code src/test/resources/dev/tabrunner/http/RequestBodiesFuzzTestInputs/}.
 */
class RequestBodiesFuzzTest {
    /** Every field name the endpoints reading bodies through RequestBodies.object allow. */
    private static final Set<String> ALLOWED = Set.of("url", "waitUntil", "actions", "screenshot", "pdf", "content",
            "viewport", "userAgent", "locale", "timezoneId", "inactivityTimeoutMs", "name", "origins", "username",
            "password", "totpSecret", "role", "tenantId", "type", "x", "y", "key", "text", "taskDetails", "startingUrl",
            "secrets", "files", "outputSchema", "model");

    /**
     * Loads Jackson, the parsers and the JSON Schema compiler (its meta-schemas take most of a second) before the
     * timed inputs: the first one would otherwise pay for it.
     */
    @BeforeAll
    static void warmUp() {
        check("{\"url\":\"https://example.com\"}".getBytes(StandardCharsets.UTF_8));
        check("{\"taskDetails\":\"x\",\"outputSchema\":{\"type\":\"object\"}}".getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes decoded as Micronaut hands a {@code @Body String} over: UTF-8, malformed sequences replaced. */
    @Timeout(value = 2, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DictionaryFile(resourcePath = "/dev/tabrunner/action/task-request.dict")
    @FuzzTest(maxDuration = "3m")
    void body(byte[] bytes) {
        check(bytes);
    }

    private static void check(byte[] bytes) {
        String body = new String(bytes, StandardCharsets.UTF_8);
        JsonNode node;
        try {
            node = RequestBodies.parse(body);
        } catch (ApiException e) {
            checkRefusal(e);
            return;
        }
        if (TaskBodies.isAgentTask(node)) {
            try {
                AgentTaskRequestParser.parse(node);
            } catch (InvalidRequestException e) {
                // a 400, like the scripted parser's refusals
            }
        } else {
            TaskBodyProperty.checkParsed(node);
        }
        try {
            RequestBodies.parse(body, false);
            JsonNode checked = RequestBodies.object(body, ALLOWED);
            for (Iterator<String> it = checked.fieldNames(); it.hasNext(); ) {
                RequestBodies.optionalString(checked, it.next(), 64);
            }
        } catch (ApiException e) {
            checkRefusal(e);
        }
    }

    private static void checkRefusal(ApiException e) {
        if (e.status() != 400 && e.status() != 413) {
            throw new AssertionError("a body may only be refused with 400 or 413, not " + e.status(), e);
        }
    }
}
