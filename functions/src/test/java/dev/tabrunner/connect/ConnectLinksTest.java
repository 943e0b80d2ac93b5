package dev.tabrunner.connect;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Role;
import dev.tabrunner.testing.InMemoryBlobStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectLinksTest {
    private static final Caller CALLER = new Caller("key-1", "tenant-a", Role.USER);
    private static final String SESSION = "0b7e5a2c-1f3d-4e55-9a66-3c1d2e4f5a6b";
    private static final String OTHER = "9c8d7e6f-5a4b-4c3d-8e2f-1a0b9c8d7e6f";

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-29T12:00:00Z"));
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final ConnectLinks links = new ConnectLinks(blobs, new Clock() {
        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    });

    @Test
    void aSessionLink_opensItsSession_asOftenAsAsked_forItsTenantAndKey() {
        String token = links.issue(CALLER, SESSION, ConnectLinks.Purpose.CDP, null, null);
        for (int i = 0; i < 3; i++) {
            ConnectLinks.Grant g = links.resolve(SESSION, token, ConnectLinks.Purpose.CDP).orElseThrow();
            assertThat(g.tenantId()).isEqualTo("tenant-a");
            assertThat(g.keyId()).isEqualTo("key-1");
            assertThat(g.singleUse()).isFalse();
        }
        now.set(now.get().plus(Duration.ofDays(30)));
        assertThat(links.resolve(SESSION, token, ConnectLinks.Purpose.CDP)).isPresent();
    }

    @Test
    void aLink_opensNothingElse_anotherSession_anotherPurpose_aGuessedOrEmptyToken() {
        String token = links.issue(CALLER, SESSION, ConnectLinks.Purpose.CDP, null, null);
        String live = links.issue(CALLER, SESSION, ConnectLinks.Purpose.LIVE, null, null);
        assertThat(links.resolve(OTHER, token, ConnectLinks.Purpose.CDP)).isEmpty();
        assertThat(links.resolve(SESSION, token, ConnectLinks.Purpose.LIVE)).isEmpty();
        assertThat(links.resolve(SESSION, live, ConnectLinks.Purpose.CDP)).isEmpty();
        assertThat(links.resolve(SESSION, token.substring(1), ConnectLinks.Purpose.CDP)).isEmpty();
        assertThat(links.resolve(SESSION, "", ConnectLinks.Purpose.CDP)).isEmpty();
        assertThat(links.resolve(SESSION, null, ConnectLinks.Purpose.CDP)).isEmpty();
        assertThat(links.resolve("../" + SESSION, token, ConnectLinks.Purpose.CDP)).isEmpty();
        // and the purpose check did not use the link up
        assertThat(links.resolve(SESSION, live, ConnectLinks.Purpose.LIVE)).isPresent();
    }

    @Test
    void tokens_areUnguessable_andOnlyTheirHashIsStored() {
        String a = links.issue(CALLER, SESSION, ConnectLinks.Purpose.CDP, null, null);
        String b = links.issue(CALLER, SESSION, ConnectLinks.Purpose.CDP, null, null);
        assertThat(a).isNotEqualTo(b).hasSizeGreaterThanOrEqualTo(43).matches("[A-Za-z0-9_-]+");
        for (String key : blobs.list("")) {
            assertThat(key).doesNotContain(a).doesNotContain(b);
            assertThat(new String(blobs.get(key).orElseThrow())).doesNotContain(a).doesNotContain(b);
        }
    }

    @Test
    void aSingleUseLink_opensOnce_andOnlyBeforeItsDeadline() {
        Instant until = now.get().plus(Duration.ofMinutes(2));
        String once = links.issue(CALLER, SESSION, ConnectLinks.Purpose.CDP, until, "conn-1");
        ConnectLinks.Grant g = links.resolve(SESSION, once, ConnectLinks.Purpose.CDP).orElseThrow();
        assertThat(g.singleUse()).isTrue();
        assertThat(g.connectionId()).isEqualTo("conn-1");
        assertThat(links.resolve(SESSION, once, ConnectLinks.Purpose.CDP)).isEmpty();

        String late = links.issue(CALLER, SESSION, ConnectLinks.Purpose.CDP, until, "conn-2");
        now.set(until);
        assertThat(links.resolve(SESSION, late, ConnectLinks.Purpose.CDP)).isEmpty();
    }

    @Test
    void revokeAll_closesEveryLinkOfTheSession_only() {
        String cdp = links.issue(CALLER, SESSION, ConnectLinks.Purpose.CDP, null, null);
        String live = links.issue(CALLER, SESSION, ConnectLinks.Purpose.LIVE, null, null);
        String other = links.issue(CALLER, OTHER, ConnectLinks.Purpose.CDP, null, null);
        links.revokeAll(SESSION);
        assertThat(links.resolve(SESSION, cdp, ConnectLinks.Purpose.CDP)).isEmpty();
        assertThat(links.resolve(SESSION, live, ConnectLinks.Purpose.LIVE)).isEmpty();
        assertThat(links.resolve(OTHER, other, ConnectLinks.Purpose.CDP)).isPresent();
    }

    @Test
    void expiredLinks_areSweptWhenTheSessionGetsANewOne() {
        links.issue(CALLER, SESSION, ConnectLinks.Purpose.CDP, now.get().plus(Duration.ofMinutes(2)), "conn-1");
        now.set(now.get().plus(Duration.ofMinutes(3)));
        links.issue(CALLER, SESSION, ConnectLinks.Purpose.CDP, null, null);
        assertThat(blobs.list("connect/links/" + SESSION + "/")).hasSize(1);
    }
}
