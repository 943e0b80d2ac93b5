package dev.tabrunner.testing.contract;

import dev.tabrunner.domain.ApiKey;
import dev.tabrunner.domain.Role;
import dev.tabrunner.port.ApiKeyStore;
import dev.tabrunner.port.ConflictException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ApiKeyStore} promises: keys found by id alone (authentication knows no tenant yet), replaced
 * only when asked, deleted only within their tenant. Each test uses keys and tenants of its own.
 */
public abstract class ApiKeyStoreContract {
    protected final String tenant = "t-" + UUID.randomUUID();
    protected final String otherTenant = "t-" + UUID.randomUUID();
    private ApiKeyStore keys;

    /** The store under test; called once per test. */
    protected abstract ApiKeyStore store();

    @BeforeEach
    void createStore() {
        keys = store();
    }

    private ApiKey key(Role role, String name) {
        return new ApiKey(UUID.randomUUID().toString().substring(0, 16), tenant, role, name, "hash-" + name,
                Instant.now());
    }

    @Test
    void apiKey_deleteOnlyWithinItsTenant() {
        ApiKey key = new ApiKey(UUID.randomUUID().toString().substring(0, 16), tenant, Role.USER, "k", "hash",
                Instant.now());
        keys.put(key, false);
        assertThatThrownBy(() -> keys.put(key, false)).isInstanceOf(ConflictException.class);
        assertThat(keys.delete(otherTenant, key.id())).isFalse();
        assertThat(keys.find(key.id())).isPresent();
        assertThat(keys.delete(tenant, key.id())).isTrue();
        assertThat(keys.find(key.id())).isEmpty();
    }

    @Test
    void put_storesTheKeyAsGiven() {
        ApiKey admin = key(Role.ADMIN, "ops");
        keys.put(admin, false);
        assertThat(keys.find(admin.id())).contains(admin);
        assertThat(keys.find(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void put_replacesAnExistingKey_onlyWhenAsked() {
        ApiKey first = key(Role.USER, "first");
        keys.put(first, false);
        ApiKey rotated = new ApiKey(first.id(), tenant, Role.ADMIN, "rotated", "other-hash", Instant.now());
        assertThatThrownBy(() -> keys.put(rotated, false)).isInstanceOf(ConflictException.class);
        assertThat(keys.find(first.id())).contains(first);
        keys.put(rotated, true);
        assertThat(keys.find(first.id())).contains(rotated);
    }

    @Test
    void put_withReplace_alsoStoresANewKey() {
        ApiKey fresh = key(Role.USER, "fresh");
        keys.put(fresh, true);
        assertThat(keys.find(fresh.id())).contains(fresh);
    }

    @Test
    void list_showsATenantsKeys_oldestFirst_andEveryTenantsWithoutOne() {
        ApiKey first = new ApiKey("a" + UUID.randomUUID().toString().substring(0, 15), tenant, Role.USER, "first",
                "h1", Instant.parse("2026-01-01T00:00:00Z"));
        ApiKey second = new ApiKey("b" + UUID.randomUUID().toString().substring(0, 15), tenant, Role.ADMIN,
                "second", "h2", Instant.parse("2026-01-02T00:00:00Z"));
        ApiKey other = key(Role.USER, "other");
        ApiKey elsewhere = new ApiKey(other.id(), otherTenant, Role.USER, "other", "h3", Instant.now());
        keys.put(second, false);
        keys.put(first, false);
        keys.put(elsewhere, false);
        assertThat(keys.list(tenant)).containsExactly(first, second);
        assertThat(keys.list(null)).contains(first, second, elsewhere);
    }

    @Test
    void touch_recordsTheLastUse_andIgnoresAKeyThatIsGone() {
        ApiKey key = key(Role.USER, "used");
        keys.put(key, false);
        Instant at = Instant.parse("2026-03-04T05:06:00Z");
        keys.touch(key.id(), at);
        assertThat(keys.find(key.id())).hasValueSatisfying(k -> {
            assertThat(k.lastUsedAt()).isEqualTo(at);
            assertThat(k.secretHash()).isEqualTo(key.secretHash());
        });
        keys.touch(UUID.randomUUID().toString(), at);
        assertThat(keys.find(key.id()).orElseThrow().lastUsedAt()).isEqualTo(at);
    }

    @Test
    void delete_isFalse_forAnUnknownKey() {
        assertThat(keys.delete(tenant, UUID.randomUUID().toString())).isFalse();
    }
}
