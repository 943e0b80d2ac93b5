package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.Viewport;
import dev.tabrunner.testing.FixtureServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session's context kept warm between its tasks, in real Chromium through the engine: reused (page, scripts'
 * state and all) only when it was kept under the session's stored state version, for the same kind of context, with
 * its page alive; otherwise the context is restored from the saved state. A page's own variable
 * ({@code window.marker}) tells a warm page from a restored one: the saved state holds cookies and storage, not it.
 */
class WarmContextsIT {
    private static FixtureServer site;
    private static BrowserHost host;
    private static BrowserSettings settings;
    private final MutableClock clock = new MutableClock();
    private final AtomicLong freeMemory = new AtomicLong(Long.MAX_VALUE);
    private final AtomicInteger stateReads = new AtomicInteger();
    private WarmContexts warm;
    private PlaywrightEngine engine;

    @BeforeAll
    static void start() {
        site = FixtureServer.start();
        settings = BrowserSettings.from(Map.of("TABRUNNER_EGRESS_ALLOW", "127.0.0.1"));
        host = new BrowserHost(settings);
    }

    @AfterAll
    static void stop() {
        host.close();
        site.close();
    }

    @BeforeEach
    void engine() {
        warm(2);
    }

    @AfterEach
    void closeWarm() {
        warm.closeAll(host);
    }

    private void warm(int sessions) {
        if (warm != null) {
            warm.closeAll(host);
        }
        warm = new WarmContexts(settings, new WarmSettings(sessions, 1), clock, freeMemory::get);
        engine = new PlaywrightEngine(settings, clock, warm);
    }

    private static ContextSpec.Reuse reuse(String session, String stored, String next) {
        return new ContextSpec.Reuse("acme/" + session, stored, next);
    }

    /** A spec whose saved state (read only when restoring) holds the login cookie of the fixture site. */
    private ContextSpec spec(ContextSpec.Reuse reuse, SessionOptions options) {
        String state = "{\"cookies\":[{\"name\":\"session\",\"value\":\"abc123\",\"domain\":\"127.0.0.1\","
                + "\"path\":\"/\",\"expires\":-1,\"httpOnly\":false,\"secure\":false,\"sameSite\":\"Lax\"}],"
                + "\"origins\":[]}";
        return new ContextSpec(options, () -> {
            stateReads.incrementAndGet();
            return state;
        }, null, BrowsingOptions.NONE, false, reuse);
    }

    private ContextSpec spec(ContextSpec.Reuse reuse) {
        return spec(reuse, SessionOptions.defaults());
    }

    /** Opens the form page and leaves a mark only this page (not the saved state) has. */
    private EngineOutcome markPage(ContextSpec spec) {
        EngineOutcome outcome = engine.run(host, spec, (page, actions) -> {
            page.navigate(site.url("/form.html"));
            page.evaluate("window.marker = 42");
            page.fill("#name", "Ada");
            return null;
        }, EngineListener.discarding(), TaskControl.NONE);
        assertThat(outcome.error()).isNull();
        return outcome;
    }

    /** What the page shows when the next task starts: its URL, the mark, the typed text and the cookie. */
    private record Seen(String url, Object marker, String typed, String cookie, ArrayNode network) {
    }

    private Seen look(ContextSpec spec) {
        Object[] seen = new Object[4];
        EngineOutcome outcome = engine.run(host, spec, (page, actions) -> {
            seen[0] = page.url();
            seen[1] = page.evaluate("window.marker");
            seen[2] = page.url().startsWith("http") ? page.inputValue("#name") : null;
            seen[3] = page.url().startsWith("http") ? page.evaluate("document.cookie") : null;
            return null;
        }, EngineListener.discarding(), TaskControl.NONE);
        assertThat(outcome.error()).isNull();
        return new Seen((String) seen[0], seen[1], (String) seen[2], (String) seen[3], outcome.network());
    }

    @Test
    void nextTask_continuesInTheWarmPage_whenItWasKeptUnderTheStoredVersion() {
        markPage(spec(reuse("s1", null, "v1")));
        int reads = stateReads.get();

        Seen seen = look(spec(reuse("s1", "v1", "v2")));

        assertThat(seen.url()).isEqualTo(site.url("/form.html"));
        assertThat(seen.marker()).isEqualTo(42);
        assertThat(seen.typed()).isEqualTo("Ada");
        assertThat(seen.cookie()).contains("session=abc123");
        assertThat(stateReads.get()).as("a warm context reads no saved state").isEqualTo(reads);
        // the first task's requests are not the second's
        assertThat(seen.network().toString()).doesNotContain("form.html");
        assertThat(warm.size()).isEqualTo(1);
    }

    @Test
    void nextTask_restoresFromTheSavedState_whenTheStoredVersionDiffers() {
        markPage(spec(reuse("s1", null, "v1")));

        // the session's state was saved elsewhere since (another worker ran a task of it)
        ContextSpec restored = new ContextSpec(SessionOptions.defaults(), spec(null).storageState(),
                site.url("/form.html"), BrowsingOptions.NONE, false, reuse("s1", "v-elsewhere", "v3"));
        Seen seen = look(restored);

        assertThat(seen.url()).isEqualTo(site.url("/form.html"));
        assertThat(seen.marker()).isNull();
        assertThat(seen.typed()).isEmpty();
        assertThat(seen.cookie()).contains("session=abc123");
        // the restored context is the one kept now, under the new version
        assertThat(look(spec(reuse("s1", "v3", "v4"))).typed()).isEmpty();
        assertThat(look(spec(reuse("s1", "v4", "v5"))).url()).isEqualTo(site.url("/form.html"));
    }

    @Test
    void aTaskNeedingAnotherKindOfContext_doesNotGetTheWarmOne() {
        markPage(spec(reuse("s1", null, "v1")));
        SessionOptions wider = new SessionOptions(new Viewport(1600, 900), null, "en-US", null,
                SessionOptions.defaults().inactivityTimeoutMs());

        Seen seen = look(spec(reuse("s1", "v1", "v2"), wider));

        assertThat(seen.url()).isEqualTo("about:blank");
        assertThat(seen.marker()).isNull();
    }

    @Test
    void leastRecentlyUsedSession_isEvicted_beyondTheLimit() {
        warm(1);
        markPage(spec(reuse("s1", null, "a1")));
        markPage(spec(reuse("s2", null, "b1")));
        assertThat(warm.size()).isEqualTo(1);

        assertThat(look(spec(reuse("s1", "a1", "a2"))).marker()).as("evicted").isNull();
        assertThat(look(spec(reuse("s2", "b1", "b2"))).marker()).as("s1's restored context evicted s2")
                .isNull();
    }

    @Test
    void aSessionIsEvicted_whenMemoryIsShort() {
        markPage(spec(reuse("s1", null, "a1")));
        freeMemory.set(0);
        markPage(spec(reuse("s2", null, "b1")));
        freeMemory.set(Long.MAX_VALUE);

        assertThat(warm.size()).isEqualTo(1);
        assertThat(look(spec(reuse("s1", "a1", "a2"))).marker()).isNull();
    }

    @Test
    void aCrashedWarmPage_fallsBackToTheSavedState() {
        markPage(spec(reuse("s1", null, "v1")));
        assertThat(host.killRenderers()).isPositive();

        ContextSpec next = new ContextSpec(SessionOptions.defaults(), spec(null).storageState(),
                site.url("/form.html"), BrowsingOptions.NONE, false, reuse("s1", "v1", "v2"));
        Seen seen = look(next);

        assertThat(seen.url()).isEqualTo(site.url("/form.html"));
        assertThat(seen.marker()).isNull();
        assertThat(seen.cookie()).contains("session=abc123");
    }

    @Test
    void aWarmPageStuckInAScriptOfItsOwn_fallsBackToTheSavedState() {
        engine.run(host, spec(reuse("s1", null, "v1")), (page, actions) -> {
            page.navigate(site.url("/form.html"));
            // the loop starts once the run has saved the state (which it could not from a stuck page)
            page.evaluate("window.marker = 1; setTimeout(() => { for (;;) {} }, 500)");
            return null;
        }, EngineListener.discarding(), TaskControl.NONE);
        sleep(1_000);

        Seen seen = look(spec(reuse("s1", "v1", "v2")));

        assertThat(seen.url()).isEqualTo("about:blank");
        assertThat(seen.marker()).isNull();
    }

    @Test
    void aDiscardedSession_isRestoredNextTime() {
        markPage(spec(reuse("s1", null, "v1")));

        warm.discard(host, "acme/s1");

        assertThat(warm.size()).isZero();
        assertThat(look(spec(reuse("s1", "v1", "v2"))).marker()).isNull();
    }

    @Test
    void aSessionPastItsInactivityTimeout_isClosed() {
        SessionOptions shortLived = new SessionOptions(SessionOptions.defaults().viewport(), null, "en-US", null,
                60_000);
        markPage(spec(reuse("s1", null, "v1"), shortLived));
        clock.advance(Duration.ofSeconds(61));

        warm.expire(host);

        assertThat(warm.size()).isZero();
    }

    @Test
    void aTaskWithBrowsingRulesOfItsOwn_isNotKept() {
        ContextSpec ruled = new ContextSpec(SessionOptions.defaults(), () -> null, null,
                new BrowsingOptions(List.of("127.0.0.1"), false, null, false), false, reuse("s1", null, "v1"));
        markPage(ruled);

        assertThat(warm.size()).isZero();
    }

    @Test
    void aRunThatFailed_keepsItsPage_forTheNextTask() {
        EngineOutcome failed = engine.run(host, spec(reuse("s1", null, "v1")), (page, actions) -> {
            page.navigate(site.url("/form.html"));
            page.evaluate("window.marker = 7");
            throw new ActionFailure(404, "element_not_found", "no such element");
        }, EngineListener.discarding(), TaskControl.NONE);
        assertThat(failed.error()).isNotNull();

        assertThat(look(spec(reuse("s1", "v1", "v2"))).marker()).isEqualTo(7);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-29T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
