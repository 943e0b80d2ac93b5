package dev.tabrunner.service;

import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.testing.InMemoryStores;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Turns of a session's tasks on in-memory stores: who waits, who is handed the session, what is read for it. */
class SessionTurnsTest {
    private final InMemoryStores stores = new InMemoryStores();
    private final AtomicInteger listings = new AtomicInteger();
    /** The task store, counting the listings of a session's tasks. */
    private final TaskStore tasks = (TaskStore) Proxy.newProxyInstance(TaskStore.class.getClassLoader(),
            new Class<?>[]{TaskStore.class}, (proxy, method, args) -> {
                if (method.getName().equals("listBySession")) {
                    listings.incrementAndGet();
                }
                try {
                    return method.invoke(stores.tasks(), args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    private final SessionTurns turns = new SessionTurns(stores.sessions(), tasks, stores.recordingDispatcher());
    private final Instant now = Instant.parse("2026-11-29T12:00:00Z");

    private Session session() {
        Session s = new Session("s1", "acme", SessionStatus.ACTIVE, now, now, SessionOptions.defaults(), null, null,
                null, null, 0);
        stores.sessions().create(s);
        return stores.sessions().find("acme", "s1").orElseThrow();
    }

    private TaskRecord running(String id, int second) {
        TaskRecord created = TaskRecord.created(id, "acme", "s1", TaskRecord.KIND_SCRIPTED,
                Json.mapper().createObjectNode(), now.plusSeconds(second));
        stores.tasks().create(created);
        TaskRecord running = created.toBuilder().status(TaskStatus.RUNNING).lease("w", now.plusSeconds(60)).build();
        stores.tasks().update(running);
        return running;
    }

    /** What a worker does when the turn is taken: the task waits to be dispatched, and says so. */
    private TaskRecord waits(TaskRecord task) {
        TaskRecord waiting = task.toBuilder().status(TaskStatus.CREATED).lease(null, null).build();
        stores.tasks().update(waiting);
        turns.waitFor(waiting);
        return waiting;
    }

    private void finish(TaskRecord task) {
        stores.tasks().update(stores.tasks().findForWorker(task.id()).orElseThrow().toBuilder()
                .status(TaskStatus.FINISHED).lease(null, null).build());
    }

    private Session stored() {
        return stores.sessions().find("acme", "s1").orElseThrow();
    }

    @Test
    void givingBackTheTurn_readsNoTaskList_whenNoTaskWaits() {
        Session s = session();
        TaskRecord first = running("t1", 1);
        assertThat(turns.take(s, first)).isPresent();
        finish(first);
        turns.giveBack("acme", "s1", "t1", x -> x);
        assertThat(listings.get()).isZero();
        assertThat(stores.dispatched()).isEmpty();
        assertThat(stored().activeTaskId()).isNull();
    }

    @Test
    void aTaskThatFindsTheTurnTaken_waits_andIsDispatchedWhenTheTurnIsGivenBack() {
        Session s = session();
        TaskRecord first = running("t1", 1);
        turns.take(s, first);
        TaskRecord second = running("t2", 2);
        assertThat(turns.take(stored(), second)).isEmpty();
        waits(second);
        assertThat(stored().waitingTaskIds()).containsExactly("t2");
        assertThat(stores.dispatched()).isEmpty();

        finish(first);
        turns.giveBack("acme", "s1", "t1", x -> x);
        assertThat(listings.get()).isEqualTo(1);
        assertThat(stores.dispatched()).extracting(TaskRecord::id).containsExactly("t2");

        // the dispatched task takes the turn and is no longer waiting
        TaskRecord again = stores.tasks().findForWorker("t2").orElseThrow().toBuilder().status(TaskStatus.RUNNING)
                .lease("w", now.plusSeconds(60)).build();
        stores.tasks().update(again);
        Optional<Session> taken = turns.take(stored(), again);
        assertThat(taken).isPresent();
        assertThat(taken.get().activeTaskId()).isEqualTo("t2");
        assertThat(taken.get().waitingTaskIds()).isEmpty();
    }

    @Test
    void aTaskThatWouldWait_isDispatchedAtOnce_whenTheTurnWasGivenBackMeanwhile() {
        Session s = session();
        TaskRecord first = running("t1", 1);
        turns.take(s, first);
        TaskRecord second = running("t2", 2);
        assertThat(turns.take(stored(), second)).isEmpty();
        // the holder ends before the second task has said it waits
        finish(first);
        turns.giveBack("acme", "s1", "t1", x -> x);
        waits(second);
        assertThat(stores.dispatched()).extracting(TaskRecord::id).containsExactly("t2");
        assertThat(stored().waitingTaskIds()).isEmpty();
    }

    @Test
    void aWaitingTaskThatEndedMeanwhile_isForgotten_soTheNextGiveBackReadsNothing() {
        Session s = session();
        TaskRecord first = running("t1", 1);
        turns.take(s, first);
        TaskRecord second = waits(running("t2", 2));
        // stopped while it waited
        stores.tasks().update(stores.tasks().findForWorker(second.id()).orElseThrow().toBuilder()
                .status(TaskStatus.STOPPED).build());
        finish(first);
        turns.giveBack("acme", "s1", "t1", x -> x);
        assertThat(stores.dispatched()).isEmpty();
        assertThat(stored().waitingTaskIds()).isEmpty();
        assertThat(listings.get()).isEqualTo(1);

        TaskRecord third = running("t3", 3);
        turns.take(stored(), third);
        finish(third);
        turns.giveBack("acme", "s1", "t3", x -> x);
        assertThat(listings.get()).isEqualTo(1);
    }

    @Test
    void savingState_givesTheSessionANewStateVersion_andTouchingItDoesNot() {
        Session s = session();
        assertThat(s.stateVersion()).isNull();
        Session saved = s.withState("https://example.com/", "k", now);
        assertThat(saved.stateVersion()).isNotNull();
        assertThat(saved.withState("https://example.com/", "k", now).stateVersion())
                .isNotEqualTo(saved.stateVersion());
        assertThat(saved.withState("https://example.com/", "k", "v7", now).stateVersion()).isEqualTo("v7");
        assertThat(saved.touched(now.plusSeconds(1)).stateVersion()).isEqualTo(saved.stateVersion());
        assertThat(saved.heldBy("t1").heldBy(null).stateVersion()).isEqualTo(saved.stateVersion());
    }
}
