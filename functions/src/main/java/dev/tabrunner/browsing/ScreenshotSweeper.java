package dev.tabrunner.browsing;

import dev.tabrunner.adapter.local.LocalDirectoryBlobStore;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.port.TaskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Locally, what the S3 lifecycle rule on {@code browsing/} is on AWS: deletes the files of browsing tasks that
 * ended more than {@link BrowsingTask#RETENTION} ago (and of tasks that no longer exist). Files of a task still
 * under way are kept. Run it periodically; the API answers 404 for an expired screenshot whether or not the sweep
 * has run yet.
 */
public final class ScreenshotSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(ScreenshotSweeper.class);

    private final LocalDirectoryBlobStore blobs;
    private final TaskStore tasks;
    private final Clock clock;

    public ScreenshotSweeper(LocalDirectoryBlobStore blobs, TaskStore tasks, Clock clock) {
        this.blobs = blobs;
        this.tasks = tasks;
        this.clock = clock;
    }

    /** One pass; returns how many files it deleted. */
    public int sweep() {
        Instant now = clock.instant();
        // browsing/<tenant>/<task>/<file>: the files of each task together
        Map<String, List<String>> byTask = new LinkedHashMap<>();
        for (String key : blobs.list(BrowsingTask.KEY_PREFIX + "/")) {
            String[] parts = key.split("/", 4);
            if (parts.length == 4) {
                byTask.computeIfAbsent(parts[1] + "/" + parts[2], k -> new ArrayList<>()).add(key);
            }
        }
        int deleted = 0;
        for (Map.Entry<String, List<String>> e : byTask.entrySet()) {
            String[] ids = e.getKey().split("/");
            Optional<TaskRecord> task = tasks.find(ids[0], ids[1]);
            boolean expired = task.map(t -> t.status().isTerminal() && t.finishedAt() != null
                    && !now.isBefore(t.finishedAt().plus(BrowsingTask.RETENTION))).orElse(true);
            if (expired) {
                e.getValue().forEach(blobs::delete);
                deleted += e.getValue().size();
                LOG.debug("deleted the {} browsing file(s) of task {}", e.getValue().size(), ids[1]);
            }
        }
        return deleted;
    }
}
