package dev.tabrunner.testing.contract;

import dev.tabrunner.domain.UploadedFile;
import dev.tabrunner.port.FileStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link FileStore} promises: one file per name in a session, replaced by a later put, listed by name,
 * absent to other tenants. Each test uses a tenant and sessions of its own.
 */
public abstract class FileStoreContract {
    protected final String tenant = "t-" + UUID.randomUUID();
    protected final String otherTenant = "t-" + UUID.randomUUID();
    private final String session = "s-" + UUID.randomUUID();
    private FileStore files;

    /** The store under test; called once per test. */
    protected abstract FileStore store();

    @BeforeEach
    void createStore() {
        files = store();
    }

    private UploadedFile file(String sessionId, String name, long size) {
        return new UploadedFile(UUID.randomUUID().toString(), sessionId, tenant, name, size, "text/plain",
                "sessions/" + tenant + "/" + sessionId + "/files/" + name, Instant.now());
    }

    @Test
    void put_storesTheFileAsGiven_findableByTenantSessionAndName() {
        UploadedFile f = file(session, "report.csv", 42);
        files.put(f);
        assertThat(files.find(tenant, session, "report.csv")).contains(f);
        assertThat(files.find(tenant, session, "other.csv")).isEmpty();
        assertThat(files.find(tenant, "s-" + UUID.randomUUID(), "report.csv")).isEmpty();
    }

    @Test
    void put_replacesTheFileOfThatName() {
        files.put(file(session, "a.txt", 1));
        UploadedFile second = file(session, "a.txt", 2);
        files.put(second);
        assertThat(files.find(tenant, session, "a.txt")).contains(second);
        assertThat(files.list(tenant, session)).containsExactly(second);
    }

    @Test
    void list_holdsTheSessionsFiles_byName() {
        UploadedFile b = file(session, "b.txt", 1);
        UploadedFile a = file(session, "a.txt", 1);
        UploadedFile c = file(session, "c.txt", 1);
        files.put(b);
        files.put(c);
        files.put(a);
        files.put(file("s-" + UUID.randomUUID(), "elsewhere.txt", 1));
        assertThat(files.list(tenant, session)).containsExactly(a, b, c);
        assertThat(files.list(tenant, "s-" + UUID.randomUUID())).isEmpty();
    }

    @Test
    void anotherTenantsFiles_areAbsent() {
        UploadedFile f = file(session, "secret.pdf", 7);
        files.put(f);
        assertThat(files.find(otherTenant, session, "secret.pdf")).isEmpty();
        assertThat(files.list(otherTenant, session)).isEmpty();
    }
}
