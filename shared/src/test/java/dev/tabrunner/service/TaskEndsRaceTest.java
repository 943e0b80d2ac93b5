package dev.tabrunner.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.json.Json;
import dev.tabrunner.testing.InMemoryStores;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The race rule of a task's end: the first copy to finish stops its siblings, whatever state they are in. */
class TaskEndsRaceTest {
    private static final String TENANT = "acme";
    private final Clock clock = Clock.fixed(Instant.parse("2026-05-01T10:00:00Z"), ZoneOffset.UTC);
    private final InMemoryStores stores = new InMemoryStores();
    private final TaskEnds ends = new TaskEnds(stores.vault(), stores.sessions(), stores.tasks(), clock);
    private final TaskRecord.Race race = new TaskRecord.Race("a", List.of("a", "b", "c", "d"));

    /** A copy in a session of its own, which ends with it. */
    private TaskRecord copy(String id, TaskRecord.Race in) {
        Session s = new Session("s-" + id, TENANT, SessionStatus.ACTIVE, clock.instant(), clock.instant(),
                SessionOptions.defaults(), null, null, null, null, 0);
        stores.sessions().create(s);
        ObjectNode request = Json.mapper().createObjectNode().put("taskDetails", "race")
                .put("terminateOnCompletion", true);
        TaskRecord t = TaskRecord.created(id, TENANT, s.id(), TaskRecord.KIND_AGENT, request, null, in,
                clock.instant());
        stores.tasks().create(t);
        return t;
    }

    private TaskRecord write(TaskRecord next) {
        stores.tasks().update(next);
        return next;
    }

    private TaskRecord find(String id) {
        return stores.tasks().find(TENANT, id).orElseThrow();
    }

    @Test
    void theWinner_stopsWaitingAndPausedCopiesAtOnce_asksRunningOnesToStop_andLeavesEndedOnes() {
        TaskRecord a = copy("a", race);
        copy("b", race);
        TaskRecord c = copy("c", race);
        TaskRecord d = copy("d", race);
        TaskRecord running = write(c.toBuilder().status(TaskStatus.RUNNING).lease("w1", clock.instant()).build());
        write(d.toBuilder().status(TaskStatus.FAILED).finishedAt(clock.instant()).build());
        TaskRecord won = write(write(a.toBuilder().status(TaskStatus.RUNNING).build()).toBuilder()
                .status(TaskStatus.FINISHED).finishedAt(clock.instant()).build());

        ends.ended(won);

        assertThat(find("b").status()).isEqualTo(TaskStatus.STOPPED);
        assertThat(find("b").finishedAt()).isEqualTo(clock.instant());
        assertThat(stores.sessions().find(TENANT, "s-b").orElseThrow().status()).isEqualTo(SessionStatus.TERMINATED);
        // its worker obeys within a second and ends it as stopped, closing its browser
        assertThat(find("c").status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(find("c").control()).isEqualTo(TaskRecord.Control.STOP);
        assertThat(find("c").version()).isEqualTo(running.version() + 1);
        assertThat(find("d").status()).isEqualTo(TaskStatus.FAILED);
        assertThat(find("a").status()).isEqualTo(TaskStatus.FINISHED);

        // applying the rule again changes nothing
        ends.ended(won);
        assertThat(find("c").version()).isEqualTo(running.version() + 1);
    }

    @Test
    void aCopyThatFailedOrWasStopped_stopsNobody() {
        TaskRecord a = copy("a", race);
        copy("b", race);
        copy("c", race);
        copy("d", race);
        TaskRecord failed = write(a.toBuilder().status(TaskStatus.FAILED).finishedAt(clock.instant()).build());

        ends.ended(failed);

        assertThat(List.of("b", "c", "d")).allSatisfy(id -> assertThat(find(id).status())
                .isEqualTo(TaskStatus.CREATED));
    }

    @Test
    void aTaskRunOnce_hasNoSiblings() {
        TaskRecord alone = copy("solo", null);
        TaskRecord other = copy("other", null);

        ends.ended(write(write(alone.toBuilder().status(TaskStatus.RUNNING).build()).toBuilder()
                .status(TaskStatus.FINISHED).finishedAt(clock.instant()).build()));

        assertThat(find(other.id()).status()).isEqualTo(TaskStatus.CREATED);
    }

    @Test
    void aRace_namesItsCopies_andItsGroupIsOneOfThem() {
        assertThatThrownBy(() -> new TaskRecord.Race("x", List.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TaskRecord.created("z", TENANT, "s", TaskRecord.KIND_AGENT,
                Json.mapper().createObjectNode(), null, race, clock.instant()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRace_isStoredWithTheTask() {
        copy("a", race);

        assertThat(find("a").race()).isEqualTo(race);
        assertThat(find("a").toBuilder().status(TaskStatus.RUNNING).build().race()).isEqualTo(race);
    }
}
