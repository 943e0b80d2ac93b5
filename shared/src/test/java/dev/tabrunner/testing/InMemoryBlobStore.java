package dev.tabrunner.testing;

import dev.tabrunner.port.BlobKeys;
import dev.tabrunner.port.BlobStore;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Blobs in memory, for unit tests of whatever stores artifacts, uploads or browser state. Refuses the keys the real
 * stores refuse, copies bytes in and out (a caller that changes its array does not change the blob) and hands out
 * no download links, like the local directory store, so the API serves the bytes. Thread-safe.
 */
public final class InMemoryBlobStore implements BlobStore {

    private record Blob(byte[] bytes, String contentType) {
    }

    private final ConcurrentHashMap<String, Blob> blobs = new ConcurrentHashMap<>();

    private static String checked(String key) {
        return BlobKeys.checked(key);
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        blobs.put(checked(key), new Blob(bytes.clone(), contentType));
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(blobs.get(checked(key))).map(b -> b.bytes().clone());
    }

    @Override
    public void delete(String key) {
        blobs.remove(checked(key));
    }

    @Override
    public List<String> list(String prefix) {
        return blobs.keySet().stream().filter(k -> k.startsWith(prefix)).sorted().toList();
    }

    @Override
    public Optional<URI> downloadUrl(String key, String filename, String contentType, Duration ttl) {
        checked(key);
        return Optional.empty();
    }

    /** The keys stored now, sorted: lets a test check what a service left behind. */
    public SortedSet<String> keys() {
        return new TreeSet<>(blobs.keySet());
    }

    /** The content type a blob was stored with. */
    public Optional<String> contentType(String key) {
        return Optional.ofNullable(blobs.get(checked(key))).map(Blob::contentType);
    }
}
