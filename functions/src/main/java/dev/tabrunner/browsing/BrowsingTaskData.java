package dev.tabrunner.browsing;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tabrunner.domain.DialectData;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.json.Json;

/**
 * What the browsing dialect keeps with each agent task it creates (the task's {@link DialectData}).
 *
 * @param keyId          the API key that created the task: only it may read the task (another key of the tenant is
 *                       refused with 403)
 * @param task           the task's text as the caller gave it (the agent was given it inside the template)
 * @param nodeUid        the node the task runs on
 * @param nodeCountry    that node's country, or null
 * @param screenshotMode which screenshots the task returns, or null for none
 * @param fullPage       for {@code final_only}: whether the screenshot is of the whole page
 * @param primaryId      for the second and later copies of a fanout: the first copy's id, which is the task's id to
 *                       the caller; null for the first copy and for a task run once
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BrowsingTaskData(String keyId, String task, String template, String sessionKey, String nodeUid,
                        String nodeCountry, ScreenshotMode screenshotMode, boolean fullPage, String primaryId) {

    /** True for a task the browsing dialect created. */
    static boolean isBrowsing(TaskRecord t) {
        return t.dialect() != null && BrowsingDialect.NAME.equals(t.dialect().name());
    }

    /** The task's browsing data; only for a task {@link #isBrowsing}. */
    static BrowsingTaskData of(TaskRecord t) {
        return Json.mapper().convertValue(t.dialect().data(), BrowsingTaskData.class);
    }

    /** The same data for another copy of the task. */
    BrowsingTaskData onNode(BrowsingNodes.Node node, String primary) {
        return new BrowsingTaskData(keyId, task, template, sessionKey, node.uid(), node.countryIso(), screenshotMode,
                fullPage, primary);
    }

    DialectData toDialectData() {
        return new DialectData(BrowsingDialect.NAME, Json.mapper().valueToTree(this));
    }
}
