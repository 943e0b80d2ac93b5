package dev.tabrunner.browsing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.TaskError;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a browsing task shows of its copies: status, winner, screenshots. */
class BrowsingTaskTest {
    private static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");

    private static TaskRecord task(String id, ScreenshotMode mode, TaskRecord.Race race) {
        BrowsingTaskData data = new BrowsingTaskData("key-1", "Browse", "default", null, "de-1", "DE", mode, true,
                null);
        return TaskRecord.created(id, "acme", "s-" + id, TaskRecord.KIND_AGENT,
                Json.mapper().createObjectNode().put("taskDetails", "Browse"), data.toDialectData(), race, T0);
    }

    private static TaskRecord running(TaskRecord t, boolean browserUp) {
        TaskRecord.Builder b = t.toBuilder().status(TaskStatus.RUNNING).startedAt(T0.plusSeconds(1));
        return (browserUp ? b.agent(Json.mapper().createObjectNode()) : b).build();
    }

    private static TaskRecord ended(TaskRecord t, TaskStatus status, int finishedAfterSeconds) {
        return running(t, true).toBuilder().status(status).finishedAt(T0.plusSeconds(finishedAfterSeconds))
                .error(status == TaskStatus.FAILED ? TaskError.of(422, "step_limit", "too many steps") : null)
                .build();
    }

    /** A finished task whose agent took a step at each URL, with a screenshot each, and a final screenshot. */
    private static TaskRecord finishedAt(ScreenshotMode mode, String... urls) {
        ObjectNode progress = Json.mapper().createObjectNode();
        ArrayNode steps = progress.putArray("steps");
        List<Artifact> artifacts = new ArrayList<>();
        for (int i = 0; i < urls.length; i++) {
            String id = "shot-" + (i + 1);
            steps.addObject().put("step", i + 1).put("url", urls[i]).put("screenshotArtifactId", id)
                    .put("startedAt", T0.plusSeconds(i).toString());
            artifacts.add(new Artifact(id, "step-screenshot", "step-" + (i + 1) + ".jpg", "image/jpeg", 10,
                    "browsing/acme/t/step-" + (i + 1) + ".jpg"));
        }
        artifacts.add(new Artifact("final", "final-screenshot", "final.png", "image/png", 10,
                "browsing/acme/t/final.png"));
        progress.putObject("data").put("message", "done");
        TaskRecord t = running(task("t", mode, null), true);
        return t.toBuilder().status(TaskStatus.FINISHED).agent(progress).artifacts(artifacts).finalUrl("https://b/")
                .finishedAt(T0.plusSeconds(30)).build();
    }

    @Test
    void status_queuedAssignedRunning_thenCompletedOrFailed() {
        TaskRecord t = task("a", null, null);

        assertThat(new BrowsingTask(List.of(t)).phase()).isEqualTo(BrowsingTask.Phase.QUEUED);
        assertThat(new BrowsingTask(List.of(running(t, false))).phase()).isEqualTo(BrowsingTask.Phase.ASSIGNED);
        assertThat(new BrowsingTask(List.of(running(t, true))).phase()).isEqualTo(BrowsingTask.Phase.RUNNING);
        // handed on to continue on the next worker: still running to the caller
        TaskRecord handedOn = running(t, true).toBuilder().status(TaskStatus.CREATED).build();
        assertThat(new BrowsingTask(List.of(handedOn)).phase()).isEqualTo(BrowsingTask.Phase.RUNNING);
        assertThat(new BrowsingTask(List.of(ended(t, TaskStatus.FINISHED, 5))).phase())
                .isEqualTo(BrowsingTask.Phase.COMPLETED);
        assertThat(new BrowsingTask(List.of(ended(t, TaskStatus.FAILED, 5))).phase())
                .isEqualTo(BrowsingTask.Phase.FAILED);
        assertThat(new BrowsingTask(List.of(ended(t, TaskStatus.STOPPED, 5))).phase())
                .isEqualTo(BrowsingTask.Phase.FAILED);
        assertThat(BrowsingTask.Phase.ASSIGNED.wireName()).isEqualTo("assigned");
    }

    @Test
    void aRace_isCompletedByItsFirstFinisher_andFailedOnlyWhenEveryCopyEndedOtherwise() {
        TaskRecord.Race race = new TaskRecord.Race("a", List.of("a", "b", "c"));
        TaskRecord a = task("a", null, race);
        TaskRecord b = task("b", null, race);
        TaskRecord c = task("c", null, race);

        BrowsingTask oneFailedOthersRun = new BrowsingTask(List.of(ended(a, TaskStatus.FAILED, 3), running(b, false),
                running(c, true)));
        assertThat(oneFailedOthersRun.phase()).isEqualTo(BrowsingTask.Phase.RUNNING);

        BrowsingTask twoFinished = new BrowsingTask(List.of(ended(a, TaskStatus.STOPPED, 9),
                ended(b, TaskStatus.FINISHED, 8), ended(c, TaskStatus.FINISHED, 7)));
        assertThat(twoFinished.phase()).isEqualTo(BrowsingTask.Phase.COMPLETED);
        assertThat(twoFinished.winner().orElseThrow().id()).isEqualTo("c");
        assertThat(twoFinished.decisive().id()).isEqualTo("c");

        BrowsingTask allFailed = new BrowsingTask(List.of(ended(a, TaskStatus.STOPPED, 3),
                ended(b, TaskStatus.FAILED, 4), ended(c, TaskStatus.FAILED, 5)));
        assertThat(allFailed.phase()).isEqualTo(BrowsingTask.Phase.FAILED);
        assertThat(allFailed.decisive().id()).isEqualTo("b");
    }

    @Test
    void screenshots_perMode() {
        String[] urls = {"about:blank", "https://a/", "https://a/", "https://b/", "https://a/"};

        assertThat(new BrowsingTask(List.of(finishedAt(ScreenshotMode.EVERY_STEP, urls))).screenshots())
                .extracting(BrowsingTask.Screenshot::file)
                .containsExactly("step-1.jpg", "step-2.jpg", "step-3.jpg", "step-4.jpg", "step-5.jpg");
        assertThat(new BrowsingTask(List.of(finishedAt(ScreenshotMode.ON_NAVIGATION, urls))).screenshots())
                .extracting(BrowsingTask.Screenshot::step).containsExactly(1, 2, 4, 5);
        List<BrowsingTask.Screenshot> last = new BrowsingTask(List.of(finishedAt(ScreenshotMode.FINAL_ONLY, urls)))
                .screenshots();
        assertThat(last).singleElement().satisfies(s -> {
            assertThat(s.file()).isEqualTo("final.png");
            assertThat(s.step()).isEqualTo(5);
            assertThat(s.url()).isEqualTo("https://b/");
            assertThat(s.takenAt()).isEqualTo(T0.plusSeconds(30));
        });
        assertThat(new BrowsingTask(List.of(finishedAt(null, urls))).screenshots()).isEmpty();
    }

    @Test
    void screenshots_areShownOnceTheTaskEnded_andExpireFiveDaysLater() {
        TaskRecord t = task("t", ScreenshotMode.EVERY_STEP, null);
        assertThat(new BrowsingTask(List.of(running(t, true))).screenshots()).isEmpty();
        assertThat(new BrowsingTask(List.of(running(t, true))).screenshotsExpireAt()).isNull();

        BrowsingTask done = new BrowsingTask(List.of(finishedAt(ScreenshotMode.EVERY_STEP, "https://a/")));
        assertThat(done.screenshotsExpireAt()).isEqualTo(T0.plusSeconds(30).plus(BrowsingTask.RETENTION));
        assertThat(BrowsingTask.RETENTION.toDays()).isEqualTo(5);
    }
}
