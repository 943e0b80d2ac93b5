package dev.tabrunner.adapter.local;

import dev.tabrunner.port.BlobKeys;
import dev.tabrunner.port.BlobStore;
import dev.tabrunner.port.StoreUnavailableException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

/** Blobs as files under one directory; keys ({@link BlobKeys}) are relative paths of safe characters. */
public final class LocalDirectoryBlobStore implements BlobStore {
    private final Path root;

    public LocalDirectoryBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    private Path resolve(String key) {
        Path p = root.resolve(BlobKeys.checked(key)).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("invalid blob key");
        }
        return p;
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        Path target = resolve(key);
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".upload", ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StoreUnavailableException("could not write blob " + key, e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(Files.readAllBytes(resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreUnavailableException("could not read blob " + key, e);
        }
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(resolve(key));
        } catch (IOException e) {
            throw new StoreUnavailableException("could not delete blob " + key, e);
        }
    }

    /** A directory has no links of its own: the API serves the bytes. */
    @Override
    public Optional<URI> downloadUrl(String key, String filename, String contentType, Duration ttl) {
        return Optional.empty();
    }
}
