package dev.tabrunner.browserusev2;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tabrunner.domain.DialectData;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.json.Json;

import java.util.Map;

/**
 * What the v2 dialect keeps with a task for its own views (the task's {@link DialectData}).
 *
 * @param task       the task's text as the caller gave it (the agent may have been told more)
 * @param llm        the model that runs it
 * @param structured true when the task asked for structured output
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record V2TaskData(String task, String llm, Map<String, String> metadata, boolean structured) {
    private static final V2TaskData NONE = new V2TaskData(null, null, Map.of(), false);

    V2TaskData {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    static boolean isV2(TaskRecord t) {
        return t.dialect() != null && BrowserUseV2Dialect.NAME.equals(t.dialect().name());
    }

    /** The task's v2 data; all empty for a task of another dialect. */
    static V2TaskData of(TaskRecord t) {
        return isV2(t) ? Json.mapper().convertValue(t.dialect().data(), V2TaskData.class) : NONE;
    }

    DialectData toDialectData() {
        return new DialectData(BrowserUseV2Dialect.NAME, Json.mapper().valueToTree(this));
    }
}
