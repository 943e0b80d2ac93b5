package dev.tabrunner.testing;

import dev.tabrunner.domain.UploadedFile;
import dev.tabrunner.port.FileStore;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Uploaded-file metadata in memory, for unit tests of the file service and the worker's uploads. Keyed like the
 * DynamoDB table, by session and name; another tenant's file is absent. Thread-safe.
 */
public final class InMemoryFileStore implements FileStore {
    private record Key(String sessionId, String name) {
    }

    private final ConcurrentHashMap<Key, UploadedFile> files = new ConcurrentHashMap<>();

    @Override
    public void put(UploadedFile file) {
        files.put(new Key(file.sessionId(), file.name()), file);
    }

    @Override
    public Optional<UploadedFile> find(String tenantId, String sessionId, String name) {
        return Optional.ofNullable(files.get(new Key(sessionId, name))).filter(f -> f.tenantId().equals(tenantId));
    }

    @Override
    public List<UploadedFile> list(String tenantId, String sessionId) {
        return files.values().stream().filter(f -> f.sessionId().equals(sessionId) && f.tenantId().equals(tenantId))
                .sorted(Comparator.comparing(UploadedFile::name)).toList();
    }
}
