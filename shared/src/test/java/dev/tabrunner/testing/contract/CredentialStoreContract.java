package dev.tabrunner.testing.contract;

import dev.tabrunner.domain.Credential;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.CredentialStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link CredentialStore} promises: metadata per tenant, ids unique, updates conditional on the version
 * read, deletes only within the tenant. Each test uses tenants of its own.
 */
public abstract class CredentialStoreContract {
    protected final String tenant = "t-" + UUID.randomUUID();
    protected final String otherTenant = "t-" + UUID.randomUUID();
    private CredentialStore credentials;

    /** The store under test; called once per test. */
    protected abstract CredentialStore store();

    @BeforeEach
    void createStore() {
        credentials = store();
    }

    private Credential credential(String tenantId, Instant created) {
        return new Credential(UUID.randomUUID().toString(), tenantId, "site", List.of("https://a.example.com"),
                false, created, created, 0);
    }

    @Test
    void credentials_areListedPerTenant_andVersioned() {
        Instant now = Instant.now();
        Credential c = new Credential(UUID.randomUUID().toString(), tenant, "site", List.of("https://a.example.com"),
                false, now, now, 0);
        credentials.create(c);
        assertThat(credentials.list(tenant)).extracting(Credential::id).containsExactly(c.id());
        assertThat(credentials.list(otherTenant)).isEmpty();
        Credential next = new Credential(c.id(), tenant, "renamed", c.origins(), true, now, now, 1);
        credentials.update(next);
        assertThatThrownBy(() -> credentials.update(next)).isInstanceOf(ConflictException.class);
        assertThat(credentials.delete(otherTenant, c.id())).isFalse();
        assertThat(credentials.delete(tenant, c.id())).isTrue();
        assertThat(credentials.find(tenant, c.id())).isEmpty();
    }

    @Test
    void create_storesTheCredentialAsGiven_andRefusesAnExistingId() {
        Instant now = Instant.now();
        Credential c = new Credential(UUID.randomUUID().toString(), tenant, "shop",
                List.of("https://shop.example.com", "https://*.example.org"), true, now, now.plusSeconds(1), 0);
        credentials.create(c);
        assertThat(credentials.find(tenant, c.id())).contains(c);
        assertThat(credentials.find(otherTenant, c.id())).isEmpty();
        Credential sameIdElsewhere = new Credential(c.id(), otherTenant, "x", List.of(), false, now, now, 0);
        assertThatThrownBy(() -> credentials.create(sameIdElsewhere)).isInstanceOf(ConflictException.class);
        assertThat(credentials.find(tenant, c.id())).contains(c);
    }

    @Test
    void list_holdsEveryCredentialOfTheTenant() {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        Credential a = credential(tenant, base);
        Credential b = credential(tenant, base.plusSeconds(1));
        credentials.create(a);
        credentials.create(b);
        credentials.create(credential(otherTenant, base));
        assertThat(credentials.list(tenant)).containsExactlyInAnyOrder(a, b);
    }

    @Test
    void update_writesEachNextVersion_andRefusesStaleGoneOrForeignOnes() {
        Credential c = credential(tenant, Instant.now());
        credentials.create(c);
        Credential v1 = new Credential(c.id(), tenant, "v1", c.origins(), false, c.createdAt(), Instant.now(), 1);
        Credential v2 = new Credential(c.id(), tenant, "v2", List.of("https://b.example.com"), true, c.createdAt(),
                Instant.now(), 2);
        credentials.update(v1);
        credentials.update(v2);
        assertThat(credentials.find(tenant, c.id())).contains(v2);

        Credential foreign = new Credential(c.id(), otherTenant, "stolen", c.origins(), false, c.createdAt(),
                Instant.now(), 3);
        assertThatThrownBy(() -> credentials.update(foreign)).isInstanceOf(ConflictException.class);
        Credential gone = new Credential(UUID.randomUUID().toString(), tenant, "gone", c.origins(), false,
                c.createdAt(), Instant.now(), 1);
        assertThatThrownBy(() -> credentials.update(gone)).isInstanceOf(ConflictException.class);
        assertThat(credentials.find(tenant, gone.id())).isEmpty();
        assertThat(credentials.find(tenant, c.id())).contains(v2);
    }

    @Test
    void delete_isFalse_forAnUnknownCredential_andLeavesOtherTenantsAlone() {
        Credential theirs = credential(otherTenant, Instant.now());
        credentials.create(theirs);
        assertThat(credentials.delete(tenant, UUID.randomUUID().toString())).isFalse();
        assertThat(credentials.delete(tenant, theirs.id())).isFalse();
        assertThat(credentials.find(otherTenant, theirs.id())).contains(theirs);
        assertThat(credentials.delete(otherTenant, theirs.id())).isTrue();
        assertThat(credentials.delete(otherTenant, theirs.id())).isFalse();
    }
}
