package dev.tabrunner.browsing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.action.AgentArtifacts;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A browsing task as the caller knows it: the agent task its {@code task_id} names and, with {@code fanout}, the
 * other copies raced with it. Everything the dialect shows is derived here from the copies as stored.
 *
 * @param copies the first copy first; a task run once has one
 */
record BrowsingTask(List<TaskRecord> copies) {
    /** How long a task's screenshots are kept after it ended (the S3 lifecycle rule on {@code browsing/}). */
    static final Duration RETENTION = Duration.ofDays(5);
    /** The first segment of the blob keys of browsing tasks' files, which the lifecycle rule names. */
    static final String KEY_PREFIX = "browsing";

    BrowsingTask {
        copies = List.copyOf(copies);
        if (copies.isEmpty()) {
            throw new IllegalArgumentException("a browsing task has a copy");
        }
    }

    /** The task's status on the wire. */
    enum Phase {
        QUEUED, ASSIGNED, RUNNING, COMPLETED, FAILED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    TaskRecord primary() {
        return copies.get(0);
    }

    BrowsingTaskData data() {
        return BrowsingTaskData.of(primary());
    }

    /**
     * Completed as soon as a copy finished; failed once every copy ended otherwise; until then the furthest any
     * copy got: queued (no worker has it), assigned (a worker claimed it and is opening its browser), running
     * (its browser is up: the agent works, or waits to continue on the next worker).
     */
    Phase phase() {
        if (winner().isPresent()) {
            return Phase.COMPLETED;
        }
        if (copies.stream().allMatch(c -> c.status().isTerminal())) {
            return Phase.FAILED;
        }
        return copies.stream().filter(c -> !c.status().isTerminal()).map(BrowsingTask::phaseOf)
                .max(Comparator.naturalOrder()).orElse(Phase.QUEUED);
    }

    private static Phase phaseOf(TaskRecord c) {
        return switch (c.status()) {
            case CREATED -> c.startedAt() == null ? Phase.QUEUED : Phase.RUNNING;
            // the worker writes the agent's (empty) progress once the browser's page is up
            case RUNNING -> c.agent() == null ? Phase.ASSIGNED : Phase.RUNNING;
            case PAUSED, GUARDRAIL -> Phase.RUNNING;
            case FINISHED -> Phase.COMPLETED;
            case FAILED, STOPPED -> Phase.FAILED;
        };
    }

    boolean ended() {
        Phase p = phase();
        return p == Phase.COMPLETED || p == Phase.FAILED;
    }

    /** The copy that finished first; two copies finishing at once are told apart by their order. */
    Optional<TaskRecord> winner() {
        return copies.stream().filter(c -> c.status() == TaskStatus.FINISHED)
                .min(Comparator.comparing((TaskRecord c) -> Objects.requireNonNullElse(c.finishedAt(), Instant.MAX)));
    }

    /** The copy whose outcome is the task's: the winner, else the first that failed, else the first. */
    TaskRecord decisive() {
        return winner().or(() -> copies.stream().filter(c -> c.status() == TaskStatus.FAILED).findFirst())
                .orElse(primary());
    }

    /** When the task's screenshots are deleted; null while it has not ended. */
    Instant screenshotsExpireAt() {
        TaskRecord d = decisive();
        return ended() && d.finishedAt() != null ? d.finishedAt().plus(RETENTION) : null;
    }

    /**
     * One screenshot the task returns.
     *
     * @param file its name: the last segment of its blob key, unique within the task
     * @param step the agent step it shows the start of (the final screenshot: the number of steps taken)
     */
    record Screenshot(String file, int step, String url, Instant takenAt, Artifact artifact) {
    }

    /** The screenshots of the decisive copy the task's mode selects, once the task has ended. */
    List<Screenshot> screenshots() {
        ScreenshotMode mode = data().screenshotMode();
        if (mode == null || !ended()) {
            return List.of();
        }
        TaskRecord d = decisive();
        List<Screenshot> out = new ArrayList<>();
        JsonNode steps = d.agent() == null ? null : d.agent().path("steps");
        switch (mode) {
            case FINAL_ONLY -> d.artifacts().stream()
                    .filter(a -> a.kind().equals(AgentArtifacts.FINAL_SCREENSHOT_KIND)).findFirst()
                    .ifPresent(a -> out.add(new Screenshot(fileOf(a), steps == null ? 0 : steps.size(), d.finalUrl(),
                            d.finishedAt(), a)));
            case EVERY_STEP, ON_NAVIGATION -> {
                String previous = null;
                for (JsonNode s : steps == null ? List.<JsonNode>of() : steps) {
                    String url = s.path("url").asText(null);
                    boolean navigated = previous == null || !previous.equals(url);
                    previous = url;
                    if (mode == ScreenshotMode.ON_NAVIGATION && !navigated) {
                        continue;
                    }
                    Optional<Artifact> shot = artifact(d, s.path("screenshotArtifactId").asText(""));
                    shot.ifPresent(a -> out.add(new Screenshot(fileOf(a), s.path("step").asInt(), url,
                            instant(s.path("startedAt").asText(null)), a)));
                }
            }
        }
        return out;
    }

    private static Optional<Artifact> artifact(TaskRecord t, String id) {
        return t.artifacts().stream().filter(a -> a.id().equals(id)).findFirst();
    }

    private static String fileOf(Artifact a) {
        return a.blobKey().substring(a.blobKey().lastIndexOf('/') + 1);
    }

    private static Instant instant(String iso) {
        try {
            return iso == null ? null : Instant.parse(iso);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
