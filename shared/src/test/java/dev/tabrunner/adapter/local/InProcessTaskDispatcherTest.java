package dev.tabrunner.adapter.local;

import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.TaskExecutor;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class InProcessTaskDispatcherTest {
    private static TaskRecord task(String id, String session) {
        return TaskRecord.created(id, "t", session, TaskRecord.KIND_SCRIPTED, Json.mapper().createObjectNode(),
                Instant.now());
    }

    /** Records the order tasks ran in, and the most tasks of one session seen running at once. */
    private static final class Recorder implements TaskExecutor {
        final List<String> order = new CopyOnWriteArrayList<>();
        final ConcurrentHashMap<String, AtomicInteger> running = new ConcurrentHashMap<>();
        final AtomicInteger maxPerSession = new AtomicInteger();
        final AtomicInteger maxOverall = new AtomicInteger();
        final AtomicInteger overall = new AtomicInteger();
        final CountDownLatch done;

        Recorder(int tasks) {
            done = new CountDownLatch(tasks);
        }

        @Override
        public void execute(String taskId, java.time.Instant yieldBy) {
            String session = taskId.substring(0, 1);
            int now = running.computeIfAbsent(session, k -> new AtomicInteger()).incrementAndGet();
            maxPerSession.accumulateAndGet(now, Math::max);
            maxOverall.accumulateAndGet(overall.incrementAndGet(), Math::max);
            order.add(taskId);
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            overall.decrementAndGet();
            running.get(session).decrementAndGet();
            done.countDown();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void tasksOfOneSession_runInOrder_neverConcurrently_whileSessionsRunInParallel() throws Exception {
        Recorder recorder = new Recorder(8);
        try (InProcessTaskDispatcher dispatcher = new InProcessTaskDispatcher(recorder, 4)) {
            for (int i = 1; i <= 4; i++) {
                dispatcher.dispatch(task("a" + i, "A"));
                dispatcher.dispatch(task("b" + i, "B"));
            }
            assertThat(recorder.done.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(recorder.order.stream().filter(s -> s.startsWith("a"))).containsExactly("a1", "a2", "a3", "a4");
        assertThat(recorder.order.stream().filter(s -> s.startsWith("b"))).containsExactly("b1", "b2", "b3", "b4");
        assertThat(recorder.maxPerSession.get()).isEqualTo(1);
        assertThat(recorder.maxOverall.get()).isEqualTo(2);
    }

    /** Records which thread ran each task, and which thread was told to let go of which session. */
    private static final class ThreadRecorder implements TaskExecutor {
        final Map<String, String> ranOn = new ConcurrentHashMap<>();
        final List<String> forgotten = new CopyOnWriteArrayList<>();
        final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
        final Map<String, CountDownLatch> started = new ConcurrentHashMap<>();

        /** Makes the task block until {@link #open} is called. */
        void hold(String taskId) {
            gates.put(taskId, new CountDownLatch(1));
            started.put(taskId, new CountDownLatch(1));
        }

        void open(String taskId) {
            gates.get(taskId).countDown();
        }

        void awaitStart(String taskId) throws InterruptedException {
            assertThat(started.get(taskId).await(5, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void execute(String taskId, Instant yieldBy) {
            ranOn.put(taskId, Thread.currentThread().getName());
            CountDownLatch s = started.get(taskId);
            if (s != null) {
                s.countDown();
            }
            CountDownLatch gate = gates.get(taskId);
            if (gate != null) {
                try {
                    gate.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void forget(String tenantId, String sessionId) {
            forgotten.add(sessionId + "@" + Thread.currentThread().getName());
        }

        @Override
        public void close() {
        }

        void awaitRan(String... taskIds) {
            for (int i = 0; i < 500 && !ranOn.keySet().containsAll(List.of(taskIds)); i++) {
                sleep(10);
            }
            assertThat(ranOn).containsKeys(taskIds);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the dispatcher has taken back the thread that ran the task (its bookkeeping follows the run). */
    private static void settle() {
        sleep(100);
    }

    @Test
    void aSessionsNextTask_runsOnTheThreadThatRanItsLastTask_whenThatThreadIsFree() {
        ThreadRecorder recorder = new ThreadRecorder();
        try (InProcessTaskDispatcher dispatcher = new InProcessTaskDispatcher(recorder, 3)) {
            dispatcher.dispatch(task("a1", "A"));
            recorder.awaitRan("a1");
            settle();
            dispatcher.dispatch(task("b1", "B"));
            recorder.awaitRan("b1");
            settle();
            for (int i = 2; i <= 4; i++) {
                dispatcher.dispatch(task("a" + i, "A"));
                dispatcher.dispatch(task("b" + i, "B"));
                recorder.awaitRan("a" + i, "b" + i);
                settle();
            }
        }
        for (int i = 2; i <= 4; i++) {
            assertThat(recorder.ranOn.get("a" + i)).isEqualTo(recorder.ranOn.get("a1"));
            assertThat(recorder.ranOn.get("b" + i)).isEqualTo(recorder.ranOn.get("b1"));
        }
        assertThat(recorder.forgotten).isEmpty();
    }

    @Test
    void aSessionsTask_takesAnotherFreeThread_whenItsThreadIsBusy_andTheOldThreadLetsGoOfTheSession()
            throws Exception {
        ThreadRecorder recorder = new ThreadRecorder();
        try (InProcessTaskDispatcher dispatcher = new InProcessTaskDispatcher(recorder, 2)) {
            dispatcher.dispatch(task("a1", "A"));
            recorder.awaitRan("a1");
            settle();
            String home = recorder.ranOn.get("a1");
            // B's task takes the other thread, C's then A's: both threads are busy when A's next task comes
            recorder.hold("b1");
            dispatcher.dispatch(task("b1", "B"));
            recorder.awaitStart("b1");
            recorder.hold("c1");
            dispatcher.dispatch(task("c1", "C"));
            recorder.awaitStart("c1");
            assertThat(recorder.ranOn.get("b1")).isNotEqualTo(home);
            assertThat(recorder.ranOn.get("c1")).isEqualTo(home);
            dispatcher.dispatch(task("a2", "A"));
            // the first thread to be free takes it: B's, not A's own, which C still holds
            recorder.open("b1");
            recorder.awaitRan("a2");
            recorder.open("c1");
            for (int i = 0; i < 100 && recorder.forgotten.isEmpty(); i++) {
                sleep(10);
            }
            assertThat(recorder.ranOn.get("a2")).isEqualTo(recorder.ranOn.get("b1"));
            assertThat(recorder.forgotten).containsExactly("A@" + home);
        }
    }

    @Test
    void theSessionsNextQueuedTask_staysOnItsThread() throws Exception {
        ThreadRecorder recorder = new ThreadRecorder();
        try (InProcessTaskDispatcher dispatcher = new InProcessTaskDispatcher(recorder, 4)) {
            recorder.hold("a1");
            dispatcher.dispatch(task("a1", "A"));
            recorder.awaitStart("a1");
            dispatcher.dispatch(task("a2", "A"));
            dispatcher.dispatch(task("a3", "A"));
            recorder.open("a1");
            recorder.awaitRan("a2", "a3");
        }
        assertThat(recorder.ranOn.get("a2")).isEqualTo(recorder.ranOn.get("a1"));
        assertThat(recorder.ranOn.get("a3")).isEqualTo(recorder.ranOn.get("a1"));
    }

    @Test
    void anEndedSession_isLetGoOf_onTheThreadThatHoldsIt() {
        ThreadRecorder recorder = new ThreadRecorder();
        try (InProcessTaskDispatcher dispatcher = new InProcessTaskDispatcher(recorder, 2)) {
            dispatcher.dispatch(task("a1", "A"));
            recorder.awaitRan("a1");
            settle();
            dispatcher.sessionEnded("t", "A");
            dispatcher.sessionEnded("t", "unknown");
            for (int i = 0; i < 100 && recorder.forgotten.isEmpty(); i++) {
                sleep(10);
            }
            assertThat(recorder.forgotten).containsExactly("A@" + recorder.ranOn.get("a1"));
        }
    }
}
