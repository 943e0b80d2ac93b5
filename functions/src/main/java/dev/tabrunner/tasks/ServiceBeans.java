package dev.tabrunner.tasks;

import dev.tabrunner.port.CredentialVault;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.service.TaskEnds;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Beans of the shared services the API uses, which know nothing of Micronaut. */
@Factory
final class ServiceBeans {
    @Singleton
    TaskEnds taskEnds(CredentialVault vault, SessionStore sessions, TaskStore tasks, Clock clock) {
        return new TaskEnds(vault, sessions, tasks, clock);
    }
}
