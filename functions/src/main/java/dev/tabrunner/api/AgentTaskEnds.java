package dev.tabrunner.api;

import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.CredentialVault;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.service.TaskSecretsVault;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * What must happen when an agent task ends without a worker to see it (stopped while it waited to start, was
 * paused, or waited for a person's answer): its secrets leave the vault, and a session created for the task alone
 * ({@code terminateOnCompletion}, run-task) is terminated. The worker does the same when it ends a task.
 */
@Singleton
public final class AgentTaskEnds {
    private static final Logger LOG = LoggerFactory.getLogger(AgentTaskEnds.class);

    private final TaskSecretsVault secrets;
    private final SessionStore sessions;
    private final Clock clock;

    public AgentTaskEnds(CredentialVault vault, SessionStore sessions, Clock clock) {
        this.secrets = new TaskSecretsVault(vault);
        this.sessions = sessions;
        this.clock = clock;
    }

    TaskSecretsVault secrets() {
        return secrets;
    }

    /** Called after a task reached an end state outside a worker; does nothing for other kinds of tasks. */
    public void ended(TaskRecord task) {
        if (!TaskRecord.KIND_AGENT.equals(task.kind()) || !task.status().isTerminal()) {
            return;
        }
        try {
            secrets.discard(task.tenantId(), task.id());
        } catch (RuntimeException e) {
            LOG.warn("could not discard the secrets of task {}: {}", task.id(), e.getMessage());
        }
        if (task.request().path("terminateOnCompletion").asBoolean(false)) {
            terminate(task);
        }
    }

    private void terminate(TaskRecord task) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Session> s = sessions.find(task.tenantId(), task.sessionId());
            if (s.isEmpty() || s.get().status() == SessionStatus.TERMINATED) {
                return;
            }
            try {
                sessions.update(s.get().terminated(clock.instant()), s.get().version());
                return;
            } catch (ConflictException e) {
                // changed meanwhile: read again
            }
        }
        LOG.warn("could not terminate session {} after task {}", task.sessionId(), task.id());
    }
}
