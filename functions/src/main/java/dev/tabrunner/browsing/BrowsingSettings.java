package dev.tabrunner.browsing;

import dev.tabrunner.egress.UpstreamProxies;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The operator's settings of the browsing API, read from the environment by the composition root.
 *
 * @param nodes        {@value BrowsingNodes#SETTING}: where tasks run
 * @param templatesDir {@value #TEMPLATES_DIR}: the operator's templates ({@code <stem>.json}), or null for the
 *                     shipped {@code default} alone
 * @param syncWait     {@value #SYNC_WAIT}: how long {@code POST /api/v1/browsing/sync} waits before it answers 504
 *                     (10 minutes; on Lambda never past the function's own time limit)
 */
public record BrowsingSettings(BrowsingNodes nodes, Path templatesDir, Duration syncWait) {
    public static final String TEMPLATES_DIR = "TABRUNNER_BROWSING_TEMPLATES_DIR";
    public static final String SYNC_WAIT = "TABRUNNER_BROWSING_SYNC_WAIT_MS";
    public static final Duration DEFAULT_SYNC_WAIT = Duration.ofMinutes(10);

    /**
     * @throws IllegalArgumentException naming the setting that is malformed
     */
    public static BrowsingSettings from(Map<String, String> env, UpstreamProxies proxies) {
        String dir = env.get(TEMPLATES_DIR);
        String wait = env.get(SYNC_WAIT);
        Duration syncWait = DEFAULT_SYNC_WAIT;
        if (wait != null && !wait.isBlank()) {
            try {
                syncWait = Duration.ofMillis(Long.parseLong(wait.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(SYNC_WAIT + " must be a whole number, not '" + wait + "'");
            }
        }
        return new BrowsingSettings(BrowsingNodes.from(env.get(BrowsingNodes.SETTING), proxies),
                dir == null || dir.isBlank() ? null : Path.of(dir.trim()), syncWait);
    }
}
