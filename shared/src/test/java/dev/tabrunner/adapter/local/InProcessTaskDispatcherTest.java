package dev.tabrunner.adapter.local;

import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.TaskExecutor;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
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
}
