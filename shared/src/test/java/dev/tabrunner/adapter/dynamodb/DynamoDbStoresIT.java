package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.domain.ApiKey;
import dev.tabrunner.domain.Credential;
import dev.tabrunner.domain.Role;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The DynamoDB adapters against DynamoDB Local: tenancy, conditional writes, newest-first pages. */
class DynamoDbStoresIT {
    private final DynamoDbClient client = DynamoDbLocalFixture.client();
    private final DynamoDbTables tables = DynamoDbLocalFixture.TABLES;
    private final DynamoDbSessionStore sessions = new DynamoDbSessionStore(client, tables.sessions());
    private final DynamoDbTaskStore tasks = new DynamoDbTaskStore(client, tables.tasks());
    private final DynamoDbApiKeyStore keys = new DynamoDbApiKeyStore(client, tables.apiKeys());
    private final DynamoDbCredentialStore credentials = new DynamoDbCredentialStore(client, tables.credentials());
    private final String tenant = "t-" + UUID.randomUUID();

    private Session session(Instant created) {
        return new Session(UUID.randomUUID().toString(), tenant, SessionStatus.ACTIVE, created, created,
                SessionOptions.defaults(), null, null, null, null, 0);
    }

    @Test
    void session_isInvisibleToOtherTenants_andStaleUpdatesConflict() {
        Session s = session(Instant.now());
        sessions.create(s);
        assertThat(sessions.find(tenant, s.id())).isPresent();
        assertThat(sessions.find("someone-else", s.id())).isEmpty();
        assertThatThrownBy(() -> sessions.create(s)).isInstanceOf(ConflictException.class);
        Session updated = sessions.update(s.withState("https://a.example", "k", Instant.now()), 0);
        assertThat(updated.version()).isEqualTo(1);
        assertThat(sessions.find(tenant, s.id()).orElseThrow().currentUrl()).isEqualTo("https://a.example");
        assertThatThrownBy(() -> sessions.update(s.terminated(Instant.now()), 0)).isInstanceOf(ConflictException.class);
        Session foreign = new Session(s.id(), "someone-else", s.status(), s.createdAt(), s.lastActivityAt(),
                s.options(), null, null, null, null, 1);
        assertThatThrownBy(() -> sessions.update(foreign, 1)).isInstanceOf(ConflictException.class);
    }

    @Test
    void sessions_listNewestFirst_acrossPages_andRefuseForeignCursors() {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Session s = session(base.plusSeconds(i));
            sessions.create(s);
            ids.add(0, s.id());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<Session> page = sessions.list(tenant, 2, cursor);
            page.items().forEach(s -> seen.add(s.id()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertThat(seen).isEqualTo(ids);
        String someCursor = sessions.list(tenant, 2, null).nextCursor();
        assertThatThrownBy(() -> sessions.list("someone-else", 2, someCursor))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sessions.list(tenant, 2, "%%%")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void task_updatesAreConditionalOnTheVersionRead() {
        TaskRecord t = TaskRecord.created(UUID.randomUUID().toString(), tenant, "s1", TaskRecord.KIND_SCRIPTED,
                Json.mapper().createObjectNode(), Instant.now());
        tasks.create(t);
        TaskRecord running = t.toBuilder().status(TaskStatus.RUNNING).build();
        tasks.update(running);
        TaskRecord loser = t.toBuilder().status(TaskStatus.STOPPED).build();
        assertThatThrownBy(() -> tasks.update(loser)).isInstanceOf(ConflictException.class);
        assertThat(tasks.find(tenant, t.id()).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(tasks.find("someone-else", t.id())).isEmpty();
        assertThat(tasks.findForWorker(t.id())).isPresent();
        assertThat(tasks.listBySession(tenant, "s1", 10, null).items()).extracting(TaskRecord::id).contains(t.id());
        assertThat(tasks.listBySession("someone-else", "s1", 10, null).items()).isEmpty();
    }

    @Test
    void tasksOfADialect_arePagedNewestFirst_byOffset_withTheirTotal_andOnlyTheirs() {
        Instant base = Instant.parse("2026-02-01T00:00:00Z");
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            var request = Json.mapper().createObjectNode();
            request.putObject("dialect").put("name", "browser-use-v1");
            TaskRecord t = TaskRecord.created(UUID.randomUUID().toString(), tenant, "s" + i, TaskRecord.KIND_AGENT,
                    request, base.plusSeconds(i));
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
        assertThat(tasks.listByDialect("someone-else", "browser-use-v1", 0, 10).total()).isZero();
    }

    @Test
    void apiKey_deleteOnlyWithinItsTenant() {
        ApiKey key = new ApiKey(UUID.randomUUID().toString().substring(0, 16), tenant, Role.USER, "k", "hash",
                Instant.now());
        keys.put(key, false);
        assertThatThrownBy(() -> keys.put(key, false)).isInstanceOf(ConflictException.class);
        assertThat(keys.delete("someone-else", key.id())).isFalse();
        assertThat(keys.find(key.id())).isPresent();
        assertThat(keys.delete(tenant, key.id())).isTrue();
        assertThat(keys.find(key.id())).isEmpty();
    }

    @Test
    void credentials_areListedPerTenant_andVersioned() {
        Instant now = Instant.now();
        Credential c = new Credential(UUID.randomUUID().toString(), tenant, "site", List.of("https://a.example.com"),
                false, now, now, 0);
        credentials.create(c);
        assertThat(credentials.list(tenant)).extracting(Credential::id).containsExactly(c.id());
        assertThat(credentials.list("someone-else")).isEmpty();
        Credential next = new Credential(c.id(), tenant, "renamed", c.origins(), true, now, now, 1);
        credentials.update(next);
        assertThatThrownBy(() -> credentials.update(next)).isInstanceOf(ConflictException.class);
        assertThat(credentials.delete("someone-else", c.id())).isFalse();
        assertThat(credentials.delete(tenant, c.id())).isTrue();
        assertThat(credentials.find(tenant, c.id())).isEmpty();
    }
}
