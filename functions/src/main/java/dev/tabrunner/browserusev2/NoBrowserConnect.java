package dev.tabrunner.browserusev2;

import dev.tabrunner.domain.Session;
import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

import java.util.Optional;

/** No browser for clients to drive: until CDP connect exists, {@code POST /api/v2/browsers} says so. */
@Singleton
@Secondary
final class NoBrowserConnect implements BrowserConnect {
    @Override
    public Optional<Endpoints> open(Session session) {
        return Optional.empty();
    }

    @Override
    public void close(Session session) {
        // nothing was started
    }

    @Override
    public String unavailable() {
        return "browsers driven over CDP (cdpUrl) are not available on this server yet; run agent tasks with"
                + " POST /api/v2/tasks, in a session of POST /api/v2/sessions";
    }
}
