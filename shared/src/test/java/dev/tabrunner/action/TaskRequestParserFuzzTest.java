package dev.tabrunner.action;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tabrunner.testing.TaskBodyGenerator;
import dev.tabrunner.testing.TaskBodyProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Fuzz tests of the Run Task parser: no body may make it fail with anything but a 400, nor take long.
 *
 * <p>Without {@code JAZZER_FUZZ} these run as ordinary tests over the kept corpus in
 * {@code src/test/resources/dev/tabrunner/action/TaskRequestParserFuzzTestInputs/<method>/}; with it, one of them
 * fuzzes for {@code maxDuration} (see docs/security.md). The {@code @Timeout} is per input: in regression mode
 * JUnit enforces it (in a separate thread, so even a busy loop is cut short); while fuzzing, the root POM's fuzzing
 * profile turns JUnit's timeouts off and Jazzer passes the value to libFuzzer as {@code -timeout}, which saves the
 * slow input as a finding.
 */
class TaskRequestParserFuzzTest {

    /** Loads Jackson and the parser outside the timed inputs: the first one would otherwise pay for it. */
    @BeforeAll
    static void warmUp() {
        TaskBodyProperty.check("{\"actions\":[{\"type\":\"navigate\",\"url\":\"https://example.com\"}]}");
    }

    /** The body as the HTTP layer sees it: bytes decoded as UTF-8 (malformed sequences replaced), then read. */
    @Timeout(value = 2, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @DictionaryFile(resourcePath = "task-request.dict")
    @FuzzTest(maxDuration = "4m")
    void rawBody(byte[] body) {
        TaskBodyProperty.check(new String(body, StandardCharsets.UTF_8));
    }

    /** Bodies written with the schema in mind, so the fuzzer spends its time in the action and option paths. */
    @Timeout(value = 2, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    @FuzzTest(maxDuration = "4m")
    void structuredBody(FuzzedDataProvider data) {
        TaskBodyProperty.check(TaskBodyGenerator.body(data));
    }
}
