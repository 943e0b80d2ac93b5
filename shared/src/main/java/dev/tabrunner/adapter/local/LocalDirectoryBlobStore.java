package dev.tabrunner.adapter.local;

import dev.tabrunner.port.BlobStore;
import dev.tabrunner.port.StoreUnavailableException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Blobs as files under one directory; keys are relative paths made only of safe characters. */
public final class LocalDirectoryBlobStore implements BlobStore {
    private final Path root;

    public LocalDirectoryBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    private Path resolve(String key) {
        if (!key.matches("[A-Za-z0-9._/-]+") || key.contains("..") || key.startsWith("/")) {
            throw new IllegalArgumentException("invalid blob key");
        }
        Path p = root.resolve(key).normalize();
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

    /**
     * The keys under a prefix ({@code browsing/}), for what sweeps a directory the way a lifecycle rule sweeps a
     * bucket; a file being written is not one yet.
     */
    public List<String> keys(String prefix) {
        Path start = resolve(prefix);
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(start)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith(".upload"))
                    .map(f -> root.relativize(f).toString().replace(java.io.File.separatorChar, '/'))
                    .sorted().toList();
        } catch (IOException e) {
            throw new StoreUnavailableException("could not list blobs under " + prefix, e);
        }
    }

    /** A directory has no links of its own: the API serves the bytes. */
    @Override
    public Optional<URI> downloadUrl(String key, String filename, String contentType, Duration ttl) {
        return Optional.empty();
    }
}
