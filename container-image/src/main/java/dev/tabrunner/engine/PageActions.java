package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Page;
import dev.tabrunner.action.Action;

/** The engine's executor of seed-000 actions, as a {@link PageProgram} uses it: the same code scripted tasks run. */
public interface PageActions {
    /**
     * Runs one action.
     *
     * @return the action's result object ({@code {type, ...}})
     * @throws ActionFailure   when the action failed (every Playwright error is classified into one)
     * @throws TaskInterrupted when a stop request arrived while the action waited
     */
    ObjectNode run(Page page, Action action);

    /** The text with the secret values the run's actions used (a vault password, a TOTP code) hidden. */
    String redact(String text);
}
