package dev.tabrunner.admin;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Role;
import dev.tabrunner.testing.InMemoryApiKeyStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Key listing, last use and the operator key's recovery path, on the in-memory store. */
class ApiKeyServiceTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-06-01T08:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    private final ApiKeyService keys = new ApiKeyService(store, clock);

    @Test
    void rotateOperatorKey_revokesTheLostBootstrapKey_andTheNewOneIsAnOperatorAdmin() {
        String lost = keys.bootstrapOperatorKey().secret();
        assertThat(keys.authenticate(lost)).isPresent();

        String fresh = keys.rotateOperatorKey().secret();

        assertThat(keys.authenticate(lost)).isEmpty();
        assertThat(keys.authenticate(fresh)).hasValueSatisfying(c -> assertThat(c.isOperator()).isTrue());
        // and again, should the new one be lost too
        assertThat(keys.authenticate(keys.rotateOperatorKey().secret())).isPresent();
        assertThat(keys.authenticate(fresh)).isEmpty();
    }

    @Test
    void revokeBySecret_revokesAGeneratedKey_andNothingForAnUnknownOne() {
        String generated = keys.issueOperatorKey("first start").secret();
        assertThat(keys.revokeBySecret("trk_0000000000000000_" + "A".repeat(43))).isFalse();
        assertThat(keys.revokeBySecret(generated)).isTrue();
        assertThat(keys.authenticate(generated)).isEmpty();
    }

    @Test
    void lastUse_isRecordedAtMostOncePerMinute_andListedWithoutTheSecret() {
        String secret = keys.issueOperatorKey("ops").secret();
        Caller operator = keys.authenticate(secret).orElseThrow();
        Instant first = now.get();
        now.set(first.plusSeconds(30));
        keys.authenticate(secret);
        assertThat(store.find(operator.keyId()).orElseThrow().lastUsedAt()).isEqualTo(first);
        now.set(first.plus(Duration.ofMinutes(2)));
        keys.authenticate(secret);
        assertThat(keys.list(operator)).singleElement()
                .satisfies(k -> assertThat(k.lastUsedAt()).isEqualTo(first.plus(Duration.ofMinutes(2))));
    }

    @Test
    void list_showsATenantAdminItsTenantOnly_andTheOperatorEveryTenant() {
        Caller operator = keys.authenticate(keys.issueOperatorKey("ops").secret()).orElseThrow();
        keys.create(operator, Role.ADMIN, "acme", "acme admin");
        keys.create(operator, Role.USER, "other", "other user");
        Caller acme = new Caller("x", "acme", Role.ADMIN);

        assertThat(keys.list(acme)).extracting(k -> k.tenantId()).containsOnly("acme");
        assertThat(keys.list(operator)).extracting(k -> k.tenantId()).contains("acme", "other", "default");
    }
}
