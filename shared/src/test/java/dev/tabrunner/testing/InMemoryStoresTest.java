package dev.tabrunner.testing;

import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.WorkerEnvironment;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryStoresTest {
    private final InMemoryStores stores = new InMemoryStores();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void theWorkerEnvironment_seesWhatTheServicesStored() {
        WorkerEnvironment env = stores.workerEnvironment(clock, Map.of("TABRUNNER_X", "1"));
        Session s = new Session("s1", "acme", SessionStatus.ACTIVE, clock.instant(), clock.instant(),
                SessionOptions.defaults(), null, null, null, null, 0);
        stores.sessions().create(s);
        TaskRecord t = TaskRecord.created("t1", "acme", "s1", TaskRecord.KIND_SCRIPTED,
                Json.mapper().createObjectNode(), clock.instant());
        stores.tasks().create(t);

        assertThat(env.sessions().find("acme", "s1")).contains(s);
        assertThat(env.tasks().findForWorker("t1")).contains(t);
        assertThat(env.blobs()).isSameAs(stores.blobs());
        assertThat(env.vault()).isSameAs(stores.vault());
        assertThat(env.clock()).isSameAs(clock);
        assertThat(env.setting("TABRUNNER_X", "0")).isEqualTo("1");
    }

    @Test
    void theDefaultDispatcher_recordsTasks_inOrder_andRunsNothing() {
        WorkerEnvironment env = stores.workerEnvironment(clock, Map.of());
        TaskRecord first = TaskRecord.created("t1", "acme", "s1", TaskRecord.KIND_SCRIPTED,
                Json.mapper().createObjectNode(), clock.instant());
        TaskRecord second = TaskRecord.created("t2", "acme", "s1", TaskRecord.KIND_SCRIPTED,
                Json.mapper().createObjectNode(), clock.instant());
        env.dispatcher().dispatch(first);
        stores.recordingDispatcher().dispatch(second);

        assertThat(stores.dispatched()).extracting(TaskRecord::id).containsExactly("t1", "t2");
        assertThat(stores.tasks().findForWorker("t1")).isEmpty();
    }
}
