package dev.tabrunner.connect;

import dev.tabrunner.adapter.local.InProcessBrowserConnections;
import dev.tabrunner.domain.ApiKey;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Role;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskStatus;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.port.BrowserConnections;
import dev.tabrunner.tasks.InMemoryTaskServices;
import dev.tabrunner.tasks.SessionService;
import dev.tabrunner.testing.InMemoryStores;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CDP connect's links on in-memory stores, no worker: what opening a link makes, and what it refuses. */
class ConnectServiceTest {
    private static final Caller ADA = new Caller("key-ada", "acme", Role.USER);

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);
    private final InMemoryTaskServices services = new InMemoryTaskServices(clock);
    private final InMemoryStores stores = services.stores;
    private final SessionService sessions = services.sessions;

    private ConnectService service(BrowserConnections connections) {
        return new ConnectService(sessions, stores.sessions(), services.submission, stores.tasks(), services.tasks,
                connections, new ConnectLinks(stores.blobs(), clock), stores.apiKeys(), clock);
    }

    {
        stores.apiKeys().put(new ApiKey("key-ada", "acme", Role.USER, "ada", "hash", clock.instant()), false);
    }

    private final ConnectService connects = service(new InProcessBrowserConnections());

    private static String token(String path) {
        return path.substring(path.indexOf("token=") + "token=".length());
    }

    private Session session() {
        return sessions.create(ADA, SessionOptions.defaults());
    }

    private long connections() {
        return stores.dispatched().stream().filter(t -> TaskRecord.KIND_CONNECTION.equals(t.kind())).count();
    }

    @Test
    void aNativeLink_makesNoConnection_untilAClientOpensIt_thenOpensNothingMore() {
        Session s = session();
        ConnectService.Link link = connects.connect(ADA, s.id());
        assertThat(link.path()).startsWith("/browser/sessions/" + s.id() + "/cdp?token=");
        assertThat(connections()).isZero();

        ConnectService.Opening opened = connects.open(s.id(), token(link.path()));
        assertThat(opened).isInstanceOfSatisfying(ConnectService.Opened.class, o ->
                assertThat(o.connectionId()).isEqualTo(link.connectionId()));
        TaskRecord task = stores.tasks().find("acme", link.connectionId()).orElseThrow();
        assertThat(task.kind()).isEqualTo(TaskRecord.KIND_CONNECTION);
        assertThat(task.sessionId()).isEqualTo(s.id());
        assertThat(task.createdBy()).isEqualTo("key-ada");
        assertThat(connections()).isEqualTo(1);

        assertThat(connects.open(s.id(), token(link.path()))).isEqualTo(new ConnectService.Refused(4404,
                "unknown or expired connect link"));
    }

    @Test
    void aBrowserLink_opensAgainAndAgain_oneClientAtATime() {
        Session s = session();
        ConnectService.BrowserLinks links = connects.browserLinks(ADA, s);
        String token = token(links.cdpPath());
        ConnectService.Opened first = (ConnectService.Opened) connects.open(s.id(), token);
        assertThat(connects.open(s.id(), token)).isInstanceOfSatisfying(ConnectService.Refused.class, r ->
                assertThat(r.code()).isEqualTo(4409));
        first.ended().run();
        ConnectService.Opened second = (ConnectService.Opened) connects.open(s.id(), token);
        assertThat(second.connectionId()).isNotEqualTo(first.connectionId());
        assertThat(connections()).isEqualTo(2);
    }

    @Test
    void aLink_opensNeitherAnotherSession_norTheLiveView_andItsLiveLinkOpensNoCdp() {
        Session s = session();
        Session other = session();
        ConnectService.BrowserLinks links = connects.browserLinks(ADA, s);
        assertThat(connects.open(other.id(), token(links.cdpPath()))).isInstanceOfSatisfying(
                ConnectService.Refused.class, r -> assertThat(r.code()).isEqualTo(4404));
        assertThat(connects.open(s.id(), token(links.livePath()))).isInstanceOfSatisfying(
                ConnectService.Refused.class, r -> assertThat(r.code()).isEqualTo(4404));
        assertThat(connects.live(s.id(), token(links.cdpPath()))).isInstanceOf(ConnectService.Live.Gone.class);
        assertThat(connects.live(s.id(), token(links.livePath()))).isInstanceOf(ConnectService.Live.Idle.class);
        assertThat(connections()).isZero();
    }

    @Test
    void anEndedSessionsLink_isRefused_andClosingRevokesTheLinks_andStopsTheConnection() {
        Session ended = session();
        String endedToken = token(connects.browserLinks(ADA, ended).cdpPath());
        sessions.terminate(ADA, ended.id());
        assertThat(connects.open(ended.id(), endedToken)).isInstanceOfSatisfying(ConnectService.Refused.class,
                r -> assertThat(r.code()).isEqualTo(4410));

        Session s = session();
        ConnectService.BrowserLinks links = connects.browserLinks(ADA, s);
        ConnectService.Opened opened = (ConnectService.Opened) connects.open(s.id(), token(links.cdpPath()));
        connects.close(ADA, s.id());
        assertThat(stores.tasks().find("acme", opened.connectionId()).orElseThrow().status())
                .isEqualTo(TaskStatus.STOPPED);
        opened.ended().run();
        assertThat(connects.open(s.id(), token(links.cdpPath()))).isInstanceOfSatisfying(
                ConnectService.Refused.class, r -> assertThat(r.code()).isEqualTo(4404));
        assertThat(connects.live(s.id(), token(links.livePath()))).isInstanceOf(ConnectService.Live.Gone.class);
    }

    @Test
    void withoutConnections_linksAre501() {
        ConnectService none = service(BrowserConnections.UNAVAILABLE);
        Session s = session();
        assertThat(none.available()).isFalse();
        assertThatThrownBy(() -> none.connect(ADA, s.id())).isInstanceOfSatisfying(ApiException.class, e ->
                assertThat(e.status()).isEqualTo(501));
        assertThatThrownBy(() -> none.browserLinks(ADA, s)).isInstanceOfSatisfying(ApiException.class, e ->
                assertThat(e.status()).isEqualTo(501));
    }

    @Test
    void aLinkOfADeletedKey_opensNothing() {
        Session s = session();
        ConnectService.BrowserLinks links = connects.browserLinks(ADA, s);
        stores.apiKeys().delete("acme", "key-ada");
        assertThat(connects.open(s.id(), token(links.cdpPath()))).isInstanceOfSatisfying(
                ConnectService.Refused.class, r -> assertThat(r.code()).isEqualTo(4403));
        assertThat(connections()).isZero();
        assertThat(connects.live(s.id(), token(links.livePath()))).isInstanceOf(ConnectService.Live.Gone.class);
    }
}
