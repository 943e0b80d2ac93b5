package dev.tabrunner.testing.contract;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.TaskError;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.domain.DialectData;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.LimitReachedException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.testing.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link TaskStore} promises: tenancy (the worker alone reads by id), writes conditional on the version
 * read, newest-first pages of a session, offset pages of a dialect with their total, every tenant's tasks of one
 * state page by page, the tenant's limit of unfinished tasks held under concurrency, lease renewal without a version,
 * one re-dispatch per period, and tasks larger than a row. Each test uses tenants and sessions of its own, so
 * implementations backed by a shared table need no cleaning between tests.
 */
public abstract class TaskStoreContract {
    protected final String tenant = "t-" + UUID.randomUUID();
    protected final String otherTenant = "t-" + UUID.randomUUID();
    private final String session = "s-" + UUID.randomUUID();
    private TaskStore tasks;

    /** The store under test; called once per test. */
    protected abstract TaskStore store();

    @BeforeEach
    void createStore() {
        tasks = store();
    }

    private TaskRecord task(String tenantId, String sessionId, Instant createdAt) {
        return TaskRecord.created(UUID.randomUUID().toString(), tenantId, sessionId, TaskRecord.KIND_SCRIPTED,
                Json.mapper().createObjectNode(), createdAt);
    }

    /** A task created through a dialect: the one place that says where a task keeps its dialect. */
    private TaskRecord taskOfDialect(String dialect, String sessionId, Instant createdAt) {
        return TaskRecord.created(UUID.randomUUID().toString(), tenant, sessionId, TaskRecord.KIND_AGENT,
                Json.mapper().createObjectNode(), new DialectData(dialect, null), createdAt);
    }

    private static TaskRecord moved(TaskRecord task, TaskStatus... path) {
        TaskRecord t = task;
        for (TaskStatus status : path) {
            t = t.toBuilder().status(status).build();
        }
        return t;
    }

    @Test
    void task_updatesAreConditionalOnTheVersionRead() {
        TaskRecord t = TaskRecord.created(UUID.randomUUID().toString(), tenant, session, TaskRecord.KIND_SCRIPTED,
                Json.mapper().createObjectNode(), Instant.now());
        tasks.create(t);
        TaskRecord running = t.toBuilder().status(TaskStatus.RUNNING).build();
        tasks.update(running);
        TaskRecord loser = t.toBuilder().status(TaskStatus.STOPPED).build();
        assertThatThrownBy(() -> tasks.update(loser)).isInstanceOf(ConflictException.class);
        assertThat(tasks.find(tenant, t.id()).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(tasks.find(otherTenant, t.id())).isEmpty();
        assertThat(tasks.findForWorker(t.id())).isPresent();
        assertThat(tasks.listBySession(tenant, session, 10, null).items()).extracting(TaskRecord::id)
                .contains(t.id());
        assertThat(tasks.listBySession(otherTenant, session, 10, null).items()).isEmpty();
    }

    @Test
    void tasksOfADialect_arePagedNewestFirst_byOffset_withTheirTotal_andOnlyTheirs() {
        Instant base = Instant.parse("2026-02-01T00:00:00Z");
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            TaskRecord t = taskOfDialect("browser-use-v1", "s" + i, base.plusSeconds(i));
            tasks.create(t);
            newestFirst.add(0, t.id());
        }
        tasks.create(TaskRecord.created(UUID.randomUUID().toString(), tenant, "native", TaskRecord.KIND_AGENT,
                Json.mapper().createObjectNode(), base.plusSeconds(100)));

        TaskStore.Slice<TaskRecord> first = tasks.listByDialect(tenant, "browser-use-v1", 0, 3);
        TaskStore.Slice<TaskRecord> third = tasks.listByDialect(tenant, "browser-use-v1", 6, 3);
        TaskStore.Slice<TaskRecord> beyond = tasks.listByDialect(tenant, "browser-use-v1", 9, 3);

        assertThat(first.total()).isEqualTo(7);
        assertThat(first.items()).extracting(TaskRecord::id).isEqualTo(newestFirst.subList(0, 3));
        assertThat(third.items()).extracting(TaskRecord::id).isEqualTo(newestFirst.subList(6, 7));
        assertThat(beyond.items()).isEmpty();
        assertThat(beyond.total()).isEqualTo(7);
        assertThat(tasks.listByDialect(otherTenant, "browser-use-v1", 0, 10).total()).isZero();
    }

    @Test
    void listByDialect_withLimitZero_countsOnly_andLeavesOtherDialectsOut() {
        Instant base = Instant.parse("2026-03-01T00:00:00Z");
        tasks.create(taskOfDialect("browser-use-v1", session, base));
        tasks.create(taskOfDialect("browser-use-v1", session, base.plusSeconds(1)));
        TaskRecord browsing = taskOfDialect("browsing", session, base.plusSeconds(2));
        tasks.create(browsing);

        TaskStore.Slice<TaskRecord> countOnly = tasks.listByDialect(tenant, "browser-use-v1", 0, 0);
        assertThat(countOnly.items()).isEmpty();
        assertThat(countOnly.total()).isEqualTo(2);
        assertThat(tasks.listByDialect(tenant, "browsing", 0, 10).items()).extracting(TaskRecord::id)
                .containsExactly(browsing.id());
        assertThat(tasks.listByDialect(tenant, "browser-use-v2", 0, 10).total()).isZero();
    }

    @Test
    void create_storesTheTaskAsGiven_withEverythingItProduced() {
        Instant now = Instant.now();
        ObjectNode request = Json.mapper().createObjectNode().put("url", "https://a.example");
        request.putArray("actions").addObject().put("type", "navigate").put("url", "https://a.example/next");
        ArrayNode results = Json.mapper().createArrayNode();
        results.addObject().put("type", "navigate").put("ok", true);
        ArrayNode network = Json.mapper().createArrayNode();
        network.addObject().put("url", "https://a.example/").put("status", 200);
        TaskRecord t = TaskRecord.created(UUID.randomUUID().toString(), tenant, session, TaskRecord.KIND_AGENT,
                request, now).toBuilder().status(TaskStatus.RUNNING).startedAt(now).lease("worker-1",
                        now.plusSeconds(60)).attempts(2).results(results).finalUrl("https://a.example/next")
                .artifacts(List.of(new Artifact("a1", "screenshot", "a1.png", "image/png", 3, "tasks/x/a1.png")))
                .error(new TaskError(404, "selector_not_found", "no match", 0, "click"))
                .liveViewUrl("https://live.example/t").control(TaskRecord.Control.PAUSE)
                .checkpoint(Json.mapper().createObjectNode().put("next", 1)).network(network)
                .agent(Json.mapper().createObjectNode().put("steps", 3)).build();

        tasks.create(t);

        assertThat(tasks.find(tenant, t.id())).contains(t);
        assertThat(tasks.findForWorker(t.id())).contains(t);
    }

    @Test
    void aStoredTask_isNotChangedThroughTheRecordsHandedInOrOut() {
        TaskRecord t = task(tenant, session, Instant.now());
        tasks.create(t);
        t.results().addObject().put("type", "changed after create");
        tasks.find(tenant, t.id()).orElseThrow().results().addObject().put("type", "changed after find");
        tasks.findForWorker(t.id()).orElseThrow().results().addObject().put("type", "changed after find");

        assertThat(tasks.find(tenant, t.id()).orElseThrow().results()).isEmpty();
    }

    @Test
    void create_conflicts_whenTheIdExists_alsoInAnotherTenant() {
        TaskRecord t = task(tenant, session, Instant.now());
        tasks.create(t);
        TaskRecord sameIdElsewhere = TaskRecord.created(t.id(), otherTenant, session, TaskRecord.KIND_SCRIPTED,
                Json.mapper().createObjectNode(), Instant.now());
        assertThatThrownBy(() -> tasks.create(t)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> tasks.create(sameIdElsewhere)).isInstanceOf(ConflictException.class);
        assertThat(tasks.find(otherTenant, t.id())).isEmpty();
    }

    @Test
    void update_storesEachNextVersion_andRefusesAStaleOne() {
        TaskRecord t = task(tenant, session, Instant.now());
        tasks.create(t);
        TaskRecord running = t.toBuilder().status(TaskStatus.RUNNING).lease("w1", Instant.now()).build();
        tasks.update(running);
        TaskRecord finished = running.toBuilder().status(TaskStatus.FINISHED).finalUrl("https://a.example/")
                .build();
        tasks.update(finished);

        assertThat(tasks.find(tenant, t.id())).contains(finished);
        assertThat(finished.version()).isEqualTo(2);
        TaskRecord stale = running.toBuilder().status(TaskStatus.FAILED).build();
        assertThatThrownBy(() -> tasks.update(stale)).isInstanceOf(ConflictException.class);
        assertThat(tasks.find(tenant, t.id())).contains(finished);
    }

    @Test
    void update_conflicts_whenTheTaskIsGone_orBelongsToAnotherTenant() {
        TaskRecord never = task(tenant, session, Instant.now());
        assertThatThrownBy(() -> tasks.update(never.toBuilder().status(TaskStatus.RUNNING).build()))
                .isInstanceOf(ConflictException.class);
        assertThat(tasks.findForWorker(never.id())).isEmpty();

        TaskRecord mine = task(tenant, session, Instant.now());
        tasks.create(mine);
        TaskRecord claimedElsewhere = TaskRecord.created(mine.id(), otherTenant, session, TaskRecord.KIND_SCRIPTED,
                Json.mapper().createObjectNode(), mine.createdAt()).toBuilder().status(TaskStatus.STOPPED).build();
        assertThatThrownBy(() -> tasks.update(claimedElsewhere)).isInstanceOf(ConflictException.class);
        assertThat(tasks.find(tenant, mine.id())).contains(mine);
    }

    @Test
    void listBySession_isNewestFirst_acrossPages_andHoldsOnlyThatSession() {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TaskRecord t = task(tenant, session, base.plusSeconds(i));
            tasks.create(t);
            newestFirst.add(0, t.id());
        }
        tasks.create(task(tenant, "s-" + UUID.randomUUID(), base.plusSeconds(10)));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<TaskRecord> page = tasks.listBySession(tenant, session, 2, cursor);
            page.items().forEach(t -> seen.add(t.id()));
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(seen).isEqualTo(newestFirst);
        Page<TaskRecord> whole = tasks.listBySession(tenant, session, 10, null);
        assertThat(whole.items()).extracting(TaskRecord::id).isEqualTo(newestFirst);
        assertThat(whole.nextCursor()).isNull();
    }

    @Test
    void listByTenant_holdsEverySessionOfTheTenant_newestFirst_acrossPages() {
        Instant base = Instant.parse("2026-01-05T00:00:00Z");
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TaskRecord t = i % 2 == 0 ? task(tenant, session, base.plusSeconds(i))
                    : taskOfDialect("browser-use-v1", "s-" + UUID.randomUUID(), base.plusSeconds(i));
            tasks.create(t);
            newestFirst.add(0, t.id());
        }
        tasks.create(task(otherTenant, session, base.plusSeconds(20)));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<TaskRecord> page = tasks.listByTenant(tenant, 2, cursor);
            page.items().forEach(t -> seen.add(t.id()));
            cursor = page.nextCursor();
        } while (cursor != null);

        assertThat(seen).isEqualTo(newestFirst);
        assertThatThrownBy(() -> tasks.listByTenant(tenant, 2, "garbage"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listBySession_refusesCursorsOfAnotherSession_andGarbage() {
        String otherSession = "s-" + UUID.randomUUID();
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 3; i++) {
            tasks.create(task(tenant, session, base.plusSeconds(i)));
            tasks.create(task(tenant, otherSession, base.plusSeconds(i)));
        }
        String cursor = tasks.listBySession(tenant, session, 2, null).nextCursor();

        assertThat(cursor).isNotNull();
        assertThatThrownBy(() -> tasks.listBySession(tenant, otherSession, 2, cursor))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tasks.listBySession(tenant, session, 2, "%%%"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(tasks.listBySession(tenant, session, 2, cursor).items()).hasSize(1);
    }

    /** Every task of the state, page after page, as the recovery sweep reads them. */
    private List<TaskRecord> allByStatus(TaskStatus status, int pageSize) {
        List<TaskRecord> all = new ArrayList<>();
        String cursor = null;
        do {
            Page<TaskRecord> page = tasks.listByStatus(status, pageSize, cursor);
            assertThat(page.items().size()).isLessThanOrEqualTo(pageSize);
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    @Test
    void listByStatus_pagesThroughEveryTenantsTasksInThatState() {
        Instant base = Instant.parse("2000-01-01T00:00:00Z");
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TaskRecord t = task(i % 3 == 0 ? otherTenant : tenant, session, base.plusSeconds(i));
            tasks.create(t);
            mine.add(t.id());
        }
        TaskRecord running = moved(task(tenant, session, base.plusSeconds(20)), TaskStatus.RUNNING);
        tasks.create(running);

        List<String> created = allByStatus(TaskStatus.CREATED, 5).stream().map(TaskRecord::id).toList();
        assertThat(created).containsAll(mine).doesNotContain(running.id()).doesNotHaveDuplicates();
        assertThat(allByStatus(TaskStatus.RUNNING, 1000)).extracting(TaskRecord::id).contains(running.id());
        assertThatThrownBy(() -> tasks.listByStatus(TaskStatus.CREATED, 5, "%%%"))
                .isInstanceOf(IllegalArgumentException.class);
        String cursor = tasks.listByStatus(TaskStatus.CREATED, 1, null).nextCursor();
        assertThat(cursor).isNotNull();
        assertThatThrownBy(() -> tasks.listByStatus(TaskStatus.RUNNING, 1, cursor))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listByStatus_followsTheTasksUpdates() {
        Instant base = Instant.parse("2000-01-02T00:00:00Z");
        TaskRecord t = task(tenant, session, base);
        tasks.create(t);
        tasks.update(moved(t, TaskStatus.RUNNING));

        assertThat(allByStatus(TaskStatus.CREATED, 1000)).extracting(TaskRecord::id).doesNotContain(t.id());
        assertThat(allByStatus(TaskStatus.RUNNING, 1000)).extracting(TaskRecord::id).contains(t.id());
    }

    @Test
    void countUnfinished_countsWaitingAndRunningTasksOfTheTenant() {
        Instant now = Instant.now();
        tasks.create(task(tenant, session, now));
        tasks.create(task(tenant, session, now.plusSeconds(1)));
        tasks.create(moved(task(tenant, session, now.plusSeconds(2)), TaskStatus.RUNNING));
        tasks.create(moved(task(tenant, session, now.plusSeconds(3)), TaskStatus.RUNNING, TaskStatus.FINISHED));
        tasks.create(moved(task(tenant, session, now.plusSeconds(4)), TaskStatus.FAILED));
        tasks.create(moved(task(tenant, session, now.plusSeconds(5)), TaskStatus.STOPPED));
        tasks.create(task(otherTenant, session, now));

        assertThat(tasks.countUnfinished(tenant)).isEqualTo(3);
        assertThat(tasks.countUnfinished(otherTenant)).isEqualTo(1);
        assertThat(tasks.countUnfinished("t-" + UUID.randomUUID())).isZero();
    }

    @Test
    void countUnfinished_dropsATaskOnceItEndsOrPauses_andCountsItAgainWhenItWaitsAgain() {
        TaskRecord t = task(tenant, session, Instant.now());
        tasks.create(t);
        TaskRecord running = moved(t, TaskStatus.RUNNING);
        tasks.update(running);
        assertThat(tasks.countUnfinished(tenant)).isEqualTo(1);
        TaskRecord paused = moved(running, TaskStatus.PAUSED);
        tasks.update(paused);
        assertThat(tasks.countUnfinished(tenant)).isZero();
        TaskRecord resumed = moved(paused, TaskStatus.CREATED);
        tasks.update(resumed);
        assertThat(tasks.countUnfinished(tenant)).isEqualTo(1);
        TaskRecord again = moved(resumed, TaskStatus.RUNNING);
        tasks.update(again);
        tasks.update(moved(again, TaskStatus.FINISHED));
        assertThat(tasks.countUnfinished(tenant)).isZero();
    }

    @Test
    void create_atTheTenantsLimit_isRefused_andAnEndedTaskMakesRoom() {
        Instant now = Instant.now();
        TaskRecord first = task(tenant, session, now);
        tasks.create(first, 2);
        tasks.create(task(tenant, session, now.plusSeconds(1)), 2);

        assertThatThrownBy(() -> tasks.create(task(tenant, session, now.plusSeconds(2)), 2))
                .isInstanceOf(LimitReachedException.class);
        tasks.create(task(otherTenant, session, now), 2);
        tasks.update(moved(first, TaskStatus.STOPPED));
        tasks.create(task(tenant, session, now.plusSeconds(3)), 2);
        assertThat(tasks.countUnfinished(tenant)).isEqualTo(2);
    }

    @Test
    void createsRacingForTheLastPlaces_admitExactlyTheLimit() {
        Instant now = Instant.now();
        tasks.create(task(tenant, session, now), 3);
        List<Boolean> admitted = Race.run(6, n -> {
            try {
                tasks.create(task(tenant, session, now.plusSeconds(n + 1)), 3);
                return true;
            } catch (LimitReachedException refused) {
                return false;
            }
        });
        assertThat(admitted).filteredOn(b -> b).hasSize(2);
        assertThat(tasks.countUnfinished(tenant)).isEqualTo(3);
    }

    @Test
    void renewLease_movesTheLeaseOfTheRunningHolder_withoutAVersion() {
        Instant now = Instant.now();
        TaskRecord running = task(tenant, session, now).toBuilder().status(TaskStatus.RUNNING)
                .lease("worker-a", now.plusSeconds(60)).build();
        tasks.create(running);

        assertThat(tasks.renewLease(running.id(), "worker-a", now.plusSeconds(120))).isTrue();
        TaskRecord read = tasks.find(tenant, running.id()).orElseThrow();
        assertThat(read.leaseExpiresAt()).isEqualTo(now.plusSeconds(120));
        assertThat(read.version()).isEqualTo(running.version());
        // the holder's next conditional write still matches
        tasks.update(read.toBuilder().finalUrl("https://example.com/").build());
        assertThat(tasks.renewLease(running.id(), "worker-b", now.plusSeconds(180))).isFalse();
        assertThat(tasks.renewLease("no-such-task", "worker-a", now.plusSeconds(180))).isFalse();
        TaskRecord ended = tasks.find(tenant, running.id()).orElseThrow();
        tasks.update(ended.toBuilder().status(TaskStatus.FINISHED).lease(null, null).build());
        assertThat(tasks.renewLease(running.id(), "worker-a", now.plusSeconds(180))).isFalse();
    }

    @Test
    void markRedispatched_letsOneSweepDispatchPerPeriod() {
        TaskRecord t = task(tenant, session, Instant.now());
        tasks.create(t);
        Instant now = Instant.parse("2030-01-01T00:00:00Z");

        assertThat(tasks.markRedispatched(t.id(), now, now.minusSeconds(60))).isTrue();
        assertThat(tasks.markRedispatched(t.id(), now.plusSeconds(30), now.minusSeconds(30))).isFalse();
        assertThat(tasks.markRedispatched(t.id(), now.plusSeconds(61), now.plusSeconds(1))).isTrue();
        assertThat(tasks.markRedispatched("no-such-task", now, now)).isFalse();
        // a write of the task (a worker took it) starts a new period
        tasks.update(moved(t, TaskStatus.RUNNING));
        assertThat(tasks.markRedispatched(t.id(), now.plusSeconds(62), now.plusSeconds(2))).isTrue();
    }

    @Test
    void aTaskLargerThanARowCanHold_isStoredAndReadBackWhole() {
        TaskRecord t = task(tenant, session, Instant.now());
        tasks.create(t);
        ArrayNode network = Json.mapper().createArrayNode();
        for (int i = 0; i < 500; i++) {
            network.addObject().put("at", Instant.now().toString()).put("method", "GET")
                    .put("url", "https://cdn.example.com/assets/" + "x".repeat(900) + "/" + i + ".js")
                    .put("resourceType", "script");
        }
        ObjectNode agent = Json.mapper().createObjectNode();
        ArrayNode steps = agent.putArray("steps");
        for (int i = 0; i < 200; i++) {
            steps.addObject().put("step", i).put("reasoning", "r".repeat(1_500));
        }
        ArrayNode results = Json.mapper().createArrayNode();
        results.addObject().put("type", "evaluate").put("value", "v".repeat(100_000));
        TaskRecord big = t.toBuilder().status(TaskStatus.RUNNING).network(network).agent(agent).results(results)
                .build();
        tasks.update(big);
        TaskRecord ended = big.toBuilder().status(TaskStatus.FINISHED).build();
        tasks.update(ended);

        TaskRecord read = tasks.find(tenant, t.id()).orElseThrow();
        assertThat(read.network()).isEqualTo(network);
        assertThat(read.agent()).isEqualTo(agent);
        assertThat(read.results()).isEqualTo(results);
        assertThat(read.status()).isEqualTo(TaskStatus.FINISHED);
        assertThat(tasks.listBySession(tenant, session, 10, null).items()).extracting(TaskRecord::network)
                .containsExactly(network);
    }

    @Test
    void writersRacingFromOneVersion_neverBothWin() {
        TaskRecord t = task(tenant, session, Instant.now());
        tasks.create(t);
        List<Boolean> won = Race.run(6, n -> {
            try {
                tasks.update(t.toBuilder().status(TaskStatus.RUNNING).lease("worker-" + n, Instant.now()).build());
                return true;
            } catch (ConflictException lost) {
                return false;
            }
        });
        assertThat(won).containsOnlyOnce(true);
        assertThat(tasks.find(tenant, t.id()).orElseThrow().leaseOwner()).isEqualTo("worker-" + won.indexOf(true));
    }
}
