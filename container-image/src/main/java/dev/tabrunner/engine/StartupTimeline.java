package dev.tabrunner.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this process first reached each stage of a worker's cold start: the Playwright driver ready, Chromium
 * launched, a context opened, an action done. The cold-start probe reads them ({@code ./tabrunner bench}); the
 * worker logs them once. Only the first time counts: later launches (after a crash) are not cold starts.
 */
public final class StartupTimeline {
    public enum Stage {
        DRIVER_READY, CHROMIUM_LAUNCHED, CONTEXT_OPENED, FIRST_ACTION_DONE
    }

    private static final Map<Stage, Long> FIRST = new ConcurrentHashMap<>();

    private StartupTimeline() {
    }

    /** Records the stage as reached now, unless it was reached before. */
    static void reached(Stage stage) {
        FIRST.putIfAbsent(stage, System.nanoTime());
    }

    /** The {@link System#nanoTime()} at which the stage was first reached, or null when it was not. */
    public static Long firstReached(Stage stage) {
        return FIRST.get(stage);
    }
}
