package dev.tabrunner.browsing;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Which screenshots a browsing task returns. */
enum ScreenshotMode {
    /** One screenshot when the task ends, taken for it (full page unless asked otherwise). */
    FINAL_ONLY,
    /** The screenshot the agent took at the start of each of its steps. */
    EVERY_STEP,
    /** The step screenshots whose page URL differs from the previous step's (the first step's included). */
    ON_NAVIGATION;

    /** The name on the wire: {@code final_only}, {@code every_step}, {@code on_navigation}. */
    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<ScreenshotMode> of(String wireName) {
        return Arrays.stream(values()).filter(m -> m.wireName().equals(wireName)).findFirst();
    }
}
