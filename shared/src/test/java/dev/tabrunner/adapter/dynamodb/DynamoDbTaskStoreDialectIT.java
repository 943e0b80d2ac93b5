package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.domain.DialectData;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import dev.tabrunner.testing.InMemoryBlobStore;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The task store keeps a task's dialect data as given and indexes the dialect by its name alone. */
class DynamoDbTaskStoreDialectIT {
    private final DynamoDbTaskStore tasks = new DynamoDbTaskStore(DynamoDbLocalFixture.client(),
            DynamoDbLocalFixture.TABLES, new InMemoryBlobStore());
    private final String tenant = "t-" + UUID.randomUUID();

    @Test
    void dialectData_isStoredAsGiven_andListedUnderItsName() {
        var data = Json.mapper().createObjectNode().put("task", "as the caller wrote it");
        data.putObject("metadata").put("team", "marketing");
        TaskRecord t = TaskRecord.created(UUID.randomUUID().toString(), tenant, "s1", TaskRecord.KIND_AGENT,
                Json.mapper().createObjectNode(), new DialectData("some-dialect", data), Instant.now());
        tasks.create(t);
        tasks.update(t.toBuilder().status(TaskStatus.RUNNING).build());
        tasks.create(TaskRecord.created(UUID.randomUUID().toString(), tenant, "s2", TaskRecord.KIND_AGENT,
                Json.mapper().createObjectNode(), Instant.now()));

        TaskRecord read = tasks.find(tenant, t.id()).orElseThrow();
        TaskStore.Slice<TaskRecord> listed = tasks.listByDialect(tenant, "some-dialect", 0, 10);

        assertThat(read.dialect()).isEqualTo(new DialectData("some-dialect", data));
        assertThat(read.request().isEmpty()).isTrue();
        assertThat(listed.total()).isEqualTo(1);
        assertThat(listed.items()).extracting(TaskRecord::id).containsExactly(t.id());
    }
}
