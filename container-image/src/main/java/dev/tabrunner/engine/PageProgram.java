package dev.tabrunner.engine;

import com.microsoft.playwright.Page;
import dev.tabrunner.domain.TaskError;

/**
 * What a task does with its page: a scripted action list ({@link ScriptedProgram}) or the agent, which decides its
 * actions as it goes. The engine prepares the page the same way for both (the session's state, the egress proxy,
 * the network log, the session's last URL reopened) and hands it over with its own action executor.
 */
public interface PageProgram {
    /**
     * @return null when the program reached its end, or the failure that ended it
     * @throws ActionFailure   when a step failed (the engine ends the run with it, saving what it can)
     * @throws TaskInterrupted when the task must stop, pause, yield or was lost; the engine saves what it can
     */
    TaskError run(Page page, PageActions actions);
}
