package dev.tabrunner.agent;

import com.microsoft.playwright.Page;

import java.time.Clock;

/** What one run of the agent loop needs besides the state: the page, its last observation and the run's time. */
final class LoopRun {
    final Page page;
    final AgentState state;
    final Downloads downloads;
    private final Clock clock;
    private final long startedMillis;
    private final long activeBefore;
    /** The page as the model was last shown it: element indexes in tool calls refer to it. */
    PageObserver.Observation observation;

    LoopRun(Page page, AgentState state, Downloads downloads, Clock clock) {
        this.page = page;
        this.state = state;
        this.downloads = downloads;
        this.clock = clock;
        this.startedMillis = clock.millis();
        this.activeBefore = state.activeMillis;
    }

    /** How long the task has been running, its earlier runs included. */
    long activeMillis() {
        return activeBefore + (clock.millis() - startedMillis);
    }
}
