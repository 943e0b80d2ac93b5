package dev.tabrunner.agent;

import java.time.Duration;

/**
 * Tuning of the agent loop.
 *
 * @param maxTokensPerCall      completion tokens one model turn may use (the task's budget may cut it lower)
 * @param memorySteps           steps kept verbatim (tool calls and results) in every prompt; older ones shrink to
 *                              one summary line each
 * @param maxSummaryLines       summary lines kept; the oldest are dropped beyond it
 * @param maxElements           interactive elements listed per observation
 * @param maxPageText           characters of page text per observation
 * @param maxCorrections        invalid structured outputs the model may correct before the task fails
 * @param maxFailedSteps        consecutive steps without a successful action before the task fails
 * @param modelTimeout          longest wait for one model turn
 */
public record AgentSettings(int maxTokensPerCall, int memorySteps, int maxSummaryLines, int maxElements,
                            int maxPageText, int maxCorrections, int maxFailedSteps, Duration modelTimeout) {
    public static final AgentSettings DEFAULTS = new AgentSettings(4096, 3, 60, 250, 6000, 2, 8,
            Duration.ofSeconds(120));
}
