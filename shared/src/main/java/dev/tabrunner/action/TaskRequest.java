package dev.tabrunner.action;

import java.util.List;

/** A validated Run Task body (seed 000). */
public record TaskRequest(String url, WaitUntil waitUntil, List<Action> actions, ScreenshotOptions screenshot,
                          PdfOptions pdf, boolean content) {
    public TaskRequest {
        actions = List.copyOf(actions);
    }

    /** True when the task begins by navigating somewhere, so the session's last URL need not be reopened. */
    public boolean startsWithNavigation() {
        return url != null || (!actions.isEmpty() && actions.get(0) instanceof Action.Navigate);
    }
}
