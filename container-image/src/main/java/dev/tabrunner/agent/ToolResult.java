package dev.tabrunner.agent;

/**
 * The outcome of one tool call.
 *
 * @param text        what the model is told
 * @param pageChanged the step's remaining calls are skipped: they were meant for the page as it was
 * @param end         set when the call ended the task ({@code done})
 * @param question    set when the call asks a person ({@code ask_human})
 * @param fatal       set when the task cannot go on (corrections spent)
 */
record ToolResult(boolean ok, String text, boolean pageChanged, AgentOutcome end, String question,
                  AgentOutcome fatal) {
    static ToolResult ok(String text, boolean pageChanged) {
        return new ToolResult(true, text, pageChanged, null, null, null);
    }

    static ToolResult failed(String text) {
        return new ToolResult(false, "error: " + text, false, null, null, null);
    }
}
