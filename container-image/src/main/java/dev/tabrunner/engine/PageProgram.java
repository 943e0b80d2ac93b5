package dev.tabrunner.engine;

import com.microsoft.playwright.Page;
import dev.tabrunner.domain.TaskError;

/**
 * A task that drives its page itself (the agent) instead of running a fixed action list. The engine prepares the
 * page exactly as for a scripted task (the session's state, the egress proxy, the network log, the session's last
 * URL reopened) and hands it over with the engine's own action executor.
 */
public interface PageProgram {
    /**
     * @return null when the program reached its end, or the failure that ended it
     * @throws TaskInterrupted when the task must stop, pause, yield or was lost; the engine saves what it can
     */
    TaskError run(Page page, PageActions actions);
}
