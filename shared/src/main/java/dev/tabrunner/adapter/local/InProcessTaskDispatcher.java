package dev.tabrunner.adapter.local;

import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.port.TaskDispatcher;
import dev.tabrunner.port.TaskExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs dispatched tasks on a fixed set of worker threads in this JVM. Tasks of one session are run strictly one
 * after another (they share browser state); tasks of different sessions run in parallel up to the number of threads.
 *
 * <p>A worker thread keeps the browser context of the session it ran last warm (Playwright objects belong to the
 * thread that made them), so a session's tasks go to the thread that ran its previous task: the next task of a
 * session whose task just ended stays on that thread, and a new one goes there when the thread is free. When it is
 * busy with another session, the task takes any free thread instead (which restores the session from its saved
 * state), and the thread that held the session is told to let go of it. Idle threads are asked now and then to let
 * go of what has expired ({@link TaskExecutor#tidy()}).
 */
public final class InProcessTaskDispatcher implements TaskDispatcher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessTaskDispatcher.class);
    /** Sessions remembered with the thread that ran them; the oldest are forgotten (their contexts expire anyway). */
    private static final int AFFINITY_ENTRIES = 10_000;
    private static final long TIDY_INTERVAL_MS = 15_000;

    private final TaskExecutor executor;
    private final Worker[] workers;
    private final ScheduledExecutorService tidying;
    /** Guards everything below. */
    private final Object lock = new Object();
    /** Sessions with a task running (or handed to a thread), and their tasks queued behind it. */
    private final Map<String, Queue<String>> pendingBySession = new HashMap<>();
    /** Tasks of sessions with nothing running, waiting for a free thread, in dispatch order. */
    private final Deque<Job> ready = new ArrayDeque<>();
    /** The thread (index) that ran each session's last task. */
    private final Map<String, Integer> affinity = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            if (size() > AFFINITY_ENTRIES) {
                workers[eldest.getValue()].sessions--;
                return true;
            }
            return false;
        }
    };

    private record Job(String tenantId, String sessionId, String taskId) {
    }

    private static final class Worker {
        final int index;
        final ExecutorService thread;
        boolean busy;
        /** How many sessions ran their last task here. */
        int sessions;

        Worker(int index) {
            this.index = index;
            this.thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "tabrunner-worker-" + (index + 1));
                t.setDaemon(true);
                return t;
            });
        }
    }

    public InProcessTaskDispatcher(TaskExecutor executor, int threads) {
        this.executor = executor;
        this.workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(i);
        }
        this.tidying = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tabrunner-worker-tidy");
            t.setDaemon(true);
            return t;
        });
        tidying.scheduleWithFixedDelay(this::tidyIdle, TIDY_INTERVAL_MS, TIDY_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void dispatch(TaskRecord task) {
        Job job = new Job(task.tenantId(), task.sessionId(), task.id());
        synchronized (lock) {
            Queue<String> queue = pendingBySession.get(job.sessionId());
            if (queue != null) {
                queue.add(job.taskId());
                return;
            }
            pendingBySession.put(job.sessionId(), new ArrayDeque<>());
            Worker free = freeWorkerFor(job.sessionId());
            if (free == null) {
                ready.add(job);
            } else {
                assign(free, job);
            }
        }
    }

    @Override
    public void sessionEnded(String tenantId, String sessionId) {
        synchronized (lock) {
            Integer holder = affinity.remove(sessionId);
            if (holder != null) {
                workers[holder].sessions--;
                forgetOn(workers[holder], tenantId, sessionId);
            }
        }
    }

    /**
     * The thread that ran the session last when it is free, else the free thread that the fewest sessions ran on
     * last (so that sessions spread over the threads and keep their own), else null.
     */
    private Worker freeWorkerFor(String sessionId) {
        Integer preferred = affinity.get(sessionId);
        if (preferred != null && !workers[preferred].busy) {
            return workers[preferred];
        }
        Worker best = null;
        for (Worker w : workers) {
            if (!w.busy && (best == null || w.sessions < best.sessions)) {
                best = w;
            }
        }
        return best;
    }

    /** Hands the job to the worker (under the lock); the session now belongs to that worker's thread. */
    private void assign(Worker worker, Job job) {
        worker.busy = true;
        Integer previous = affinity.put(job.sessionId(), worker.index);
        if (previous == null || previous != worker.index) {
            worker.sessions++;
        }
        if (previous != null && previous != worker.index) {
            workers[previous].sessions--;
            // the old thread's warm context would be stale once this task saves the session's state
            forgetOn(workers[previous], job.tenantId(), job.sessionId());
        }
        worker.thread.execute(() -> run(worker, job));
    }

    private void forgetOn(Worker worker, String tenantId, String sessionId) {
        worker.thread.execute(() -> {
            try {
                executor.forget(tenantId, sessionId);
            } catch (RuntimeException e) {
                LOG.warn("worker could not let go of session {}: {}", sessionId, e.getMessage());
            }
        });
    }

    private void run(Worker worker, Job job) {
        try {
            executor.execute(job.taskId());
        } catch (RuntimeException e) {
            LOG.error("worker failed on task {}", job.taskId(), e);
        } finally {
            finished(worker, job);
        }
    }

    /**
     * The worker is done with the job: the session's next task stays on this thread, which holds the session's
     * context; otherwise the thread takes the oldest ready task that prefers it, or else the oldest ready task.
     */
    private void finished(Worker worker, Job job) {
        synchronized (lock) {
            Queue<String> queue = pendingBySession.get(job.sessionId());
            String next = queue == null ? null : queue.poll();
            if (next != null) {
                assign(worker, new Job(job.tenantId(), job.sessionId(), next));
                return;
            }
            pendingBySession.remove(job.sessionId());
            worker.busy = false;
            Job waiting = takeReady(worker.index);
            if (waiting != null) {
                assign(worker, waiting);
            }
        }
    }

    private Job takeReady(int workerIndex) {
        for (Iterator<Job> it = ready.iterator(); it.hasNext(); ) {
            Job j = it.next();
            Integer preferred = affinity.get(j.sessionId());
            if (preferred != null && preferred == workerIndex) {
                it.remove();
                return j;
            }
        }
        return ready.poll();
    }

    private void tidyIdle() {
        synchronized (lock) {
            for (Worker w : workers) {
                if (!w.busy) {
                    w.thread.execute(() -> {
                        try {
                            executor.tidy();
                        } catch (RuntimeException e) {
                            LOG.warn("worker could not tidy up: {}", e.getMessage());
                        }
                    });
                }
            }
        }
    }

    @Override
    public void close() {
        tidying.shutdownNow();
        for (Worker w : workers) {
            w.thread.shutdownNow();
        }
        try {
            for (Worker w : workers) {
                w.thread.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.close();
    }
}
