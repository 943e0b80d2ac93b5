package dev.tabrunner.it;

import dev.tabrunner.domain.Session;
import dev.tabrunner.port.SessionStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session's second task continues in the browser context its first task left open (same worker thread, same page,
 * scripts' state included), while the saved state stays the truth: once the session's state was saved elsewhere
 * the context is restored from it instead. A page variable ({@code window.marker}) is what only a warm page has.
 */
class WarmSessionsIT {
    private static final String MARK = "{\"url\":\"%s\",\"actions\":[{\"type\":\"type\",\"selector\":\"#username\","
            + "\"text\":\"grace\"},{\"type\":\"evaluate\",\"script\":\"window.marker = 42; document.cookie ="
            + " 'seen=1; path=/'; 'ok'\"}]}";
    private static final String LOOK = "{\"actions\":[{\"type\":\"evaluate\",\"script\":\"[location.pathname,"
            + " String(window.marker), document.querySelector('#username').value, document.cookie]\"}]}";
    private final TestSystem sys = TestSystem.get();

    @Test
    void secondTask_continuesInTheWarmPage() {
        Api api = sys.newTenant("user");
        String session = sys.newSession(api);
        assertThat(api.runTask(session, MARK.formatted(sys.url("/login.html"))).status()).isEqualTo(201);

        var look = api.runTask(session, LOOK);

        assertThat(look.status()).as(look.body()).isEqualTo(201);
        var seen = look.json().at("/results/0/value");
        assertThat(seen.get(0).asText()).isEqualTo("/login.html");
        assertThat(seen.get(1).asText()).isEqualTo("42");
        assertThat(seen.get(2).asText()).as("typed text is still in the field").isEqualTo("grace");
        assertThat(seen.get(3).asText()).contains("seen=1");
    }

    @Test
    void aTask_restoresFromTheSavedState_onceTheStateWasSavedElsewhere() {
        // the operator's key: its tenant ("default") is known, so the test can reach the session row
        Api api = sys.admin;
        String session = sys.newSession(api);
        assertThat(api.runTask(session, MARK.formatted(sys.url("/login.html"))).status()).isEqualTo(201);
        // what a worker elsewhere (another Lambda environment) does when it runs a task of the session: it saves the
        // state under a version of its own
        SessionStore sessions = sys.server.context().getBean(SessionStore.class);
        Session stored = sessions.find("default", session).orElseThrow();
        sessions.update(stored.withState(stored.currentUrl(), stored.stateKey(), java.time.Instant.now()),
                stored.version());

        var look = api.runTask(session, LOOK);

        assertThat(look.status()).as(look.body()).isEqualTo(201);
        var seen = look.json().at("/results/0/value");
        assertThat(seen.get(0).asText()).isEqualTo("/login.html");
        assertThat(seen.get(1).asText()).isEqualTo("undefined");
        assertThat(seen.get(2).asText()).isEmpty();
        assertThat(seen.get(3).asText()).as("cookies come back from the saved state").contains("seen=1");
    }
}
