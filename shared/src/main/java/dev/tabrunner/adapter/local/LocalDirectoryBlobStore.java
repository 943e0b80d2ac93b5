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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

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

    @Override
    public List<String> list(String prefix) {
        // the directory the prefix names, or that holds the names it begins
        String dir = prefix.substring(0, prefix.lastIndexOf('/') + 1);
        Path start = dir.isEmpty() ? root : resolve(dir.substring(0, dir.length() - 1));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            files.filter(Files::isRegularFile)
                    // a put under way: its temporary file is not a blob yet
                    .filter(f -> !(f.getFileName().toString().startsWith(".upload")
                            && f.getFileName().toString().endsWith(".tmp")))
                    .map(f -> root.relativize(f).toString().replace(java.io.File.separatorChar, '/'))
                    .filter(k -> k.startsWith(prefix))
                    .sorted()
                    .forEach(keys::add);
        } catch (IOException e) {
            throw new StoreUnavailableException("could not list blobs under " + prefix, e);
        }
        return keys;
    }

    /** A directory has no links of its own: the API serves the bytes. */
    @Override
    public Optional<URI> downloadUrl(String key, String filename, String contentType, Duration ttl) {
        return Optional.empty();
    }
}
