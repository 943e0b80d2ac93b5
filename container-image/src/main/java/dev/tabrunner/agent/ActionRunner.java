package dev.tabrunner.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Page;
import dev.tabrunner.action.Action;

/**
 * Runs one seed-000 action on a page, exactly as a scripted task would: the agent acts only through this, so
 * what it did can be replayed as a scripted task.
 */
public interface ActionRunner {
    /**
     * @return the action's result object ({@code {type, ...}}, seed 000's per-action result)
     * @throws dev.tabrunner.engine.ActionFailure when the action failed; status 503 means the browser is gone
     */
    ObjectNode run(Page page, Action action);
}
