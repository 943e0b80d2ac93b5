package dev.tabrunner.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Role;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskSecrets;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.service.TaskEnds;
import dev.tabrunner.testing.InMemoryStores;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The task services on in-memory stores, no worker: what submitting and controlling a task writes, and the rules
 * of a task's end applied when it ends without a worker.
 */
class TaskServiceTest {
    private static final Caller ADA = new Caller("key-ada", "acme", Role.USER);
    private static final Caller EVE = new Caller("key-eve", "evil", Role.USER);

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);
    private final InMemoryTaskServices services = new InMemoryTaskServices(clock);
    private final InMemoryStores stores = services.stores;
    private final TaskEnds ends = services.ends;
    private final SessionService sessions = services.sessions;
    private final TaskSubmission submission = services.submission;
    private final TaskService service = services.tasks;

    private static JsonNode body(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Session session() {
        return sessions.create(ADA, SessionOptions.defaults());
    }

    private TaskRecord submitted(Session s) {
        return service.submit(ADA, s.id(), body("{\"actions\":[{\"type\":\"evaluate\",\"script\":\"1\"}]}"));
    }

    @Test
    void submit_storesTheTaskCreated_andDispatchesIt() {
        Session s = session();
        TaskRecord t = submitted(s);

        assertThat(stores.tasks().find("acme", t.id())).get().extracting(TaskRecord::status)
                .isEqualTo(TaskStatus.CREATED);
        assertThat(stores.dispatched()).extracting(TaskRecord::id).containsExactly(t.id());
    }

    @Test
    void submit_overTheTenantsTaskLimit_is429_andStoresNothing() {
        Session s = session();
        submitted(s);
        submitted(s);

        assertThatThrownBy(() -> submitted(s)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.code()).isEqualTo("too_many_tasks");
            assertThat(e.details()).containsKey("retryAfterSeconds");
        });
        assertThat(stores.tasks().listBySession("acme", s.id(), 10, null).items()).hasSize(2);
        // another tenant is not held back by this one's tasks
        Session other = sessions.create(EVE, SessionOptions.defaults());
        assertThat(service.submit(EVE, other.id(), body("{\"url\":\"https://example.com/\"}"))).isNotNull();
    }

    @Test
    void submit_intoATerminatedSession_isRefused_andIntoAnotherTenantsSession_isNotFound() {
        Session s = session();
        sessions.terminate(ADA, s.id());

        assertThatThrownBy(() -> submitted(s)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> service.submit(EVE, s.id(), body("{\"url\":\"https://example.com/\"}")))
                .isInstanceOf(NotFoundException.class);
        assertThat(stores.dispatched()).isEmpty();
    }

    @Test
    void stop_ofAWaitingTask_endsItAtOnce_andASecondStopConflicts() {
        TaskRecord t = submitted(session());

        TaskRecord stopped = service.stop(ADA, t.sessionId(), t.id());

        assertThat(stopped.status()).isEqualTo(TaskStatus.STOPPED);
        assertThat(stopped.finishedAt()).isEqualTo(clock.instant());
        assertThatThrownBy(() -> service.stop(ADA, t.sessionId(), t.id())).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> service.resume(ADA, t.sessionId(), t.id()))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("task_stopped"));
    }

    @Test
    void pause_ofAWaitingTask_holdsIt_andResume_dispatchesItAgain() {
        TaskRecord t = submitted(session());

        assertThat(service.pause(ADA, t.sessionId(), t.id()).status()).isEqualTo(TaskStatus.PAUSED);
        TaskRecord resumed = service.resume(ADA, t.sessionId(), t.id());

        assertThat(resumed.status()).isEqualTo(TaskStatus.CREATED);
        assertThat(stores.dispatched()).extracting(TaskRecord::id).containsExactly(t.id(), t.id());
        assertThatThrownBy(() -> service.resume(ADA, t.sessionId(), t.id()))
                .isInstanceOfSatisfying(ConflictException.class,
                        e -> assertThat(e.code()).isEqualTo("task_not_paused"));
    }

    @Test
    void stop_ofAnAgentTaskThatNeverRan_discardsItsSecrets_andEndsItsOwnSession() {
        Session s = session();
        JsonNode request = body("{\"taskDetails\":\"x\",\"terminateOnCompletion\":true}");
        TaskRecord t = submission.submit(ADA, s, TaskRecord.KIND_AGENT, request,
                new TaskSecrets(Map.of("password", "hunter22")), null);
        assertThat(ends.open("acme", t.id()).names()).containsExactly("password");

        service.stop(ADA, s.id(), t.id());

        assertThat(ends.open("acme", t.id()).isEmpty()).isTrue();
        assertThat(stores.sessions().find("acme", s.id())).get().extracting(Session::status)
                .isEqualTo(SessionStatus.TERMINATED);
    }

    @Test
    void controls_ofAnotherTenantsTask_areNotFound() {
        TaskRecord t = submitted(session());

        assertThatThrownBy(() -> service.stop(EVE, t.sessionId(), t.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.get(EVE, t.sessionId(), t.id())).isInstanceOf(NotFoundException.class);
        assertThat(stores.tasks().find("acme", t.id())).get().extracting(TaskRecord::status)
                .isEqualTo(TaskStatus.CREATED);
    }

    @Test
    void sessions_overTheTenantsLimit_are429() {
        session();
        session();
        session();

        assertThatThrownBy(this::session).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("too_many_sessions"));
        assertThat(sessions.create(EVE, SessionOptions.defaults()).tenantId()).isEqualTo("evil");
    }
}
