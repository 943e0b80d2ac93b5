package dev.tabrunner.adapter.local;

import dev.tabrunner.port.BlobStore;
import dev.tabrunner.testing.contract.BlobStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The directory store runs the blob store contract (round trip, overwrite, delete) and checks its own key rules. */
class LocalDirectoryBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dir;

    @Override
    protected BlobStore store() {
        return new LocalDirectoryBlobStore(dir);
    }

    @Test
    void downloadUrl_isEmpty_soTheApiServesTheBytes() {
        LocalDirectoryBlobStore blobs = new LocalDirectoryBlobStore(dir);
        blobs.put("tasks/t1/a.png", new byte[]{1}, "image/png");
        assertThat(blobs.downloadUrl("tasks/t1/a.png", "a.png", "image/png", Duration.ofMinutes(5))).isEmpty();
    }

    @Test
    void keysThatEscapeTheDirectory_areRefused() {
        LocalDirectoryBlobStore blobs = new LocalDirectoryBlobStore(dir.resolve("root"));
        assertThatThrownBy(() -> blobs.put("../outside", new byte[1], null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> blobs.get("/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> blobs.get("a/../../b")).isInstanceOf(IllegalArgumentException.class);
    }
}
