package dev.tabrunner.testing;

import dev.tabrunner.port.BlobStore;
import dev.tabrunner.testing.contract.BlobStoreContract;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-memory blob store runs the same contract as the real adapters. */
class InMemoryBlobStoreTest extends BlobStoreContract {
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();

    @Override
    protected BlobStore store() {
        return blobs;
    }

    @Test
    void downloadUrl_isEmpty_likeTheLocalDirectory_soTheApiServesTheBytes() {
        blobs.put("tasks/acme/t1/a.png", new byte[]{1}, "image/png");
        assertThat(blobs.downloadUrl("tasks/acme/t1/a.png", "a.png", "image/png", Duration.ofMinutes(5))).isEmpty();
    }

    @Test
    void keysThatCouldEscapeTheirPrefix_areRefused_likeTheRealStores() {
        assertThatThrownBy(() -> blobs.get("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> blobs.put("/abs", new byte[0], "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> blobs.delete("a b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysAndContentTypes_showWhatWasStored() {
        blobs.put("b/2", new byte[]{2}, "text/plain");
        blobs.put("a/1", new byte[]{1}, "image/png");
        assertThat(blobs.keys()).containsExactly("a/1", "b/2");
        assertThat(blobs.contentType("a/1")).contains("image/png");
        blobs.delete("a/1");
        assertThat(blobs.keys()).containsExactly("b/2");
    }
}
