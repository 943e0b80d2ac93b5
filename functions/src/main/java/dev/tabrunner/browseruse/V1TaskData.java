package dev.tabrunner.browseruse;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tabrunner.domain.DialectData;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.json.Json;

import java.util.List;
import java.util.Map;

/**
 * What the v1 dialect keeps with a task for its own views (the task's {@link DialectData}): what the agent's request
 * does not hold or holds in another form.
 *
 * @param task              the task's text as the caller gave it
 * @param userUploadedFiles the names of the files given with {@code included_file_names}
 * @param shareToken        the token of the public share link, when sharing was asked for
 * @param proxyRequested    the proxy country the task asked for ({@code use_proxy}, by default {@code us}), or null
 * @param proxyUsed         the proxy country its browser went through, or null when it ran without a proxy
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record V1TaskData(String task, String llmModel, boolean saveBrowserData, List<String> userUploadedFiles,
                  Map<String, String> metadata, String shareToken, String proxyRequested, String proxyUsed) {
    private static final V1TaskData NONE = new V1TaskData(null, null, false, null, null, null, null, null);

    /** True for a task the v1 dialect created. */
    static boolean isV1(TaskRecord t) {
        return t.dialect() != null && BrowserUseV1Dialect.NAME.equals(t.dialect().name());
    }

    /** The task's v1 data; all empty for a task of another dialect. */
    static V1TaskData of(TaskRecord t) {
        return isV1(t) ? Json.mapper().convertValue(t.dialect().data(), V1TaskData.class) : NONE;
    }

    DialectData toDialectData() {
        return new DialectData(BrowserUseV1Dialect.NAME, Json.mapper().valueToTree(this));
    }
}
