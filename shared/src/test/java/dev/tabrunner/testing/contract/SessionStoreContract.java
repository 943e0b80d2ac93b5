package dev.tabrunner.testing.contract;

import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.SessionStatus;
import dev.tabrunner.domain.Viewport;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.LimitReachedException;
import dev.tabrunner.port.Page;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.testing.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link SessionStore} promises: tenancy, version-checked updates, newest-first pages with cursors only
 * this listing accepts, and the bounded active count. Each test uses tenants of its own, so implementations backed
 * by a shared table need no cleaning between tests.
 */
public abstract class SessionStoreContract {
    protected final String tenant = "t-" + UUID.randomUUID();
    protected final String otherTenant = "t-" + UUID.randomUUID();
    private SessionStore sessions;

    /** The store under test; called once per test. */
    protected abstract SessionStore store();

    @BeforeEach
    void createStore() {
        sessions = store();
    }

    private Session session(Instant created) {
        return new Session(UUID.randomUUID().toString(), tenant, SessionStatus.ACTIVE, created, created,
                SessionOptions.defaults(), null, null, null, null, 0);
    }

    @Test
    void session_isInvisibleToOtherTenants_andStaleUpdatesConflict() {
        Session s = session(Instant.now());
        sessions.create(s);
        assertThat(sessions.find(tenant, s.id())).isPresent();
        assertThat(sessions.find(otherTenant, s.id())).isEmpty();
        assertThatThrownBy(() -> sessions.create(s)).isInstanceOf(ConflictException.class);
        Session updated = sessions.update(s.withState("https://a.example", "k", Instant.now()), 0);
        assertThat(updated.version()).isEqualTo(1);
        assertThat(sessions.find(tenant, s.id()).orElseThrow().currentUrl()).isEqualTo("https://a.example");
        assertThatThrownBy(() -> sessions.update(s.terminated(Instant.now()), 0)).isInstanceOf(ConflictException.class);
        Session foreign = new Session(s.id(), otherTenant, s.status(), s.createdAt(), s.lastActivityAt(),
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
        assertThatThrownBy(() -> sessions.list(otherTenant, 2, someCursor))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sessions.list(tenant, 2, "%%%")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void create_storesTheSessionAsGiven_atVersionZero() {
        Instant now = Instant.now();
        Session s = new Session(UUID.randomUUID().toString(), tenant, SessionStatus.ACTIVE, now, now,
                new SessionOptions(new Viewport(800, 600), "agent/1", "de-DE", "Europe/Berlin",
                        60_000), "https://a.example/start", "sessions/" + tenant + "/state.json", null, "task-1", 0);
        sessions.create(s);
        assertThat(sessions.find(tenant, s.id())).contains(s);
    }

    @Test
    void create_conflicts_whenTheIdExistsInAnotherTenant() {
        Session s = session(Instant.now());
        sessions.create(s);
        Session sameIdElsewhere = new Session(s.id(), otherTenant, SessionStatus.ACTIVE, s.createdAt(),
                s.lastActivityAt(), s.options(), null, null, null, null, 0);
        assertThatThrownBy(() -> sessions.create(sameIdElsewhere)).isInstanceOf(ConflictException.class);
        assertThat(sessions.find(otherTenant, s.id())).isEmpty();
    }

    @Test
    void update_countsVersionsUp_andReturnsTheSessionAsStored() {
        Session s = session(Instant.now());
        sessions.create(s);
        Session first = sessions.update(s.heldBy("task-1"), 0);
        Session second = sessions.update(first.heldBy(null).withState("https://b.example", "k2", Instant.now()), 1);
        assertThat(first.version()).isEqualTo(1);
        assertThat(second.version()).isEqualTo(2);
        assertThat(sessions.find(tenant, s.id())).contains(second);
        assertThatThrownBy(() -> sessions.update(first, 1)).isInstanceOf(ConflictException.class);
        assertThat(sessions.find(tenant, s.id())).contains(second);
    }

    @Test
    void update_conflicts_whenTheSessionIsGone() {
        Session never = session(Instant.now());
        assertThatThrownBy(() -> sessions.update(never, 0)).isInstanceOf(ConflictException.class);
        assertThat(sessions.find(tenant, never.id())).isEmpty();
    }

    @Test
    void list_showsOnlyTheTenantsSessions_andAShortPageEndsTheListing() {
        Session mine = session(Instant.now());
        sessions.create(mine);
        sessions.create(new Session(UUID.randomUUID().toString(), otherTenant, SessionStatus.ACTIVE, Instant.now(),
                Instant.now(), SessionOptions.defaults(), null, null, null, null, 0));
        Page<Session> page = sessions.list(tenant, 10, null);
        assertThat(page.items()).extracting(Session::id).containsExactly(mine.id());
        assertThat(page.nextCursor()).isNull();
        assertThat(sessions.list(UUID.randomUUID().toString(), 10, null).items()).isEmpty();
    }

    @Test
    void list_refusesACursorThatIsNotOne() {
        String json = Base64.getUrlEncoder().encodeToString("{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> sessions.list(tenant, 2, json)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sessions.list(tenant, 2, "bm90IGpzb24")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void create_atTheTenantsLimit_isRefused_untilOneTerminatesOrExpires() {
        Instant now = Instant.now();
        Session first = session(now);
        sessions.create(first, 2);
        // one that expires by inactivity: no write tells the store, the limit finds out when it is reached
        Instant longAgo = now.minus(Duration.ofMillis(SessionOptions.DEFAULT_INACTIVITY_TIMEOUT_MS)).minusSeconds(5);
        Session idle = session(longAgo);
        sessions.create(idle, 2);
        sessions.create(new Session(UUID.randomUUID().toString(), otherTenant, SessionStatus.ACTIVE, now, now,
                SessionOptions.defaults(), null, null, null, null, 0), 2);

        // the idle one has expired by now: it makes room
        sessions.create(session(now.plusMillis(1)), 2);
        assertThatThrownBy(() -> sessions.create(session(now.plusMillis(2)), 2))
                .isInstanceOf(LimitReachedException.class);
        sessions.update(first.terminated(now), 0);
        sessions.create(session(now.plusMillis(3)), 2);
        assertThat(sessions.countActive(otherTenant)).isEqualTo(1);
    }

    @Test
    void renew_replacesAnExpiredSession_countedUnderTheLimit() {
        Instant now = Instant.now();
        Instant longAgo = now.minus(Duration.ofMillis(SessionOptions.DEFAULT_INACTIVITY_TIMEOUT_MS)).minusSeconds(5);
        Session old = session(longAgo);
        sessions.create(old, 2);
        sessions.create(session(now), 2);
        Session fresh = new Session(old.id(), tenant, SessionStatus.ACTIVE, now, now, SessionOptions.defaults(),
                null, null, null, null, 0);

        Session renewed = sessions.renew(fresh, 0, 2);

        assertThat(renewed.version()).isEqualTo(1);
        assertThat(sessions.find(tenant, old.id()).orElseThrow().statusAt(now)).isEqualTo(SessionStatus.ACTIVE);
        assertThatThrownBy(() -> sessions.create(session(now.plusMillis(1)), 2))
                .isInstanceOf(LimitReachedException.class);
        assertThatThrownBy(() -> sessions.renew(fresh, 0, 2)).isInstanceOf(ConflictException.class);
    }

    @Test
    void countActive_stopsCounting_aSessionTerminatedByAnUpdate() {
        Instant now = Instant.now();
        Session s = session(now);
        sessions.create(s);
        assertThat(sessions.countActive(tenant)).isEqualTo(1);
        sessions.update(s.terminated(now), 0);
        assertThat(sessions.countActive(tenant)).isZero();
    }

    @Test
    void createsRacingForTheLastPlaces_admitExactlyTheLimit() {
        Instant now = Instant.now();
        sessions.create(session(now), 3);
        List<Boolean> admitted = Race.run(6, n -> {
            try {
                sessions.create(session(now.plusMillis(n + 1)), 3);
                return true;
            } catch (LimitReachedException refused) {
                return false;
            }
        });
        assertThat(admitted).filteredOn(b -> b).hasSize(2);
        assertThat(sessions.countActive(tenant)).isEqualTo(3);
    }

    @Test
    void updatesRacingFromOneVersion_neverBothWin() {
        Session s = session(Instant.now());
        sessions.create(s);
        List<Boolean> won = Race.run(6, n -> {
            try {
                sessions.update(s.heldBy("task-" + n), 0);
                return true;
            } catch (ConflictException lost) {
                return false;
            }
        });
        assertThat(won).containsOnlyOnce(true);
        Session stored = sessions.find(tenant, s.id()).orElseThrow();
        assertThat(stored.activeTaskId()).isEqualTo("task-" + won.indexOf(true));
        assertThat(stored.version()).isEqualTo(1);
    }
}
