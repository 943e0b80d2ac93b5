package dev.tabrunner.action;

/** The task-level screenshot taken after all actions. */
public record ScreenshotOptions(boolean fullPage, String selector) {
}
