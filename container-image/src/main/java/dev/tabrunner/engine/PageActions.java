package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Page;
import dev.tabrunner.action.Action;

/** The engine's executor of seed-000 actions, as a {@link PageProgram} uses it: one for scripted and agent tasks. */
public interface PageActions {
    /**
     * Runs one action of a program that decides its actions as it goes (the agent), after checking that the task
     * may go on; actions are numbered in the order they run.
     *
     * @return the action's result object ({@code {type, ...}})
     * @throws ActionFailure   when the action failed (every Playwright error is classified into one)
     * @throws TaskInterrupted when a stop request arrived before or while the action ran
     */
    ObjectNode run(Page page, Action action);

    /**
     * Runs the action at {@code index} of a task's action list; the program itself checks between actions
     * whether the task may go on.
     *
     * @param index the action's place in the list, which names what it produces ({@code action-<index>.png});
     *              -1 for a navigation before the list (the task's {@code url})
     * @throws ActionFailure   as {@link #run(Page, Action)}
     * @throws TaskInterrupted when a stop request arrived while the action waited
     */
    ObjectNode run(Page page, Action action, int index);

    /** The text with the secret values the run's actions used (a vault password, a TOTP code) hidden. */
    String redact(String text);
}
