package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.ScreenshotType;

/** What a person does through a live view, applied to the page; and the frames they see. */
public final class LiveInput {
    private LiveInput() {
    }

    /**
     * Applies one viewer event: {@code {type: click, x, y}}, {@code {type: wheel, x, y, dx, dy}},
     * {@code {type: key, key}}, {@code {type: text, text}} (typing and pasting); {@code done} is the owner's.
     * Coordinates are the page's CSS pixels: the viewer scales its own.
     */
    public static void apply(Page page, JsonNode event) {
        try {
            switch (event.path("type").asText()) {
                case "click" -> page.mouse().click(event.path("x").asDouble(), event.path("y").asDouble());
                case "wheel" -> {
                    page.mouse().move(event.path("x").asDouble(), event.path("y").asDouble());
                    page.mouse().wheel(event.path("dx").asDouble(), event.path("dy").asDouble());
                }
                case "key" -> page.keyboard().press(event.path("key").asText());
                case "text" -> page.keyboard().type(event.path("text").asText());
                default -> {
                    // unknown events from a viewer are ignored
                }
            }
        } catch (PlaywrightException e) {
            // a key name Playwright does not know, or a click during navigation: drop that event
        }
    }

    /** The person pressed "Done" (a login they were asked for): whoever waits for them decides now. */
    public static boolean isDone(JsonNode event) {
        return "done".equals(event.path("type").asText());
    }

    /** One frame of the page for a viewer, or null while the page cannot be shot (mid-navigation). */
    public static byte[] frame(Page page) {
        try {
            return page.screenshot(new Page.ScreenshotOptions().setType(ScreenshotType.JPEG).setQuality(60));
        } catch (PlaywrightException e) {
            return null;
        }
    }
}
