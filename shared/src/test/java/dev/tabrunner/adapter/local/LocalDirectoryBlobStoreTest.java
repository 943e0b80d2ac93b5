package dev.tabrunner.adapter.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalDirectoryBlobStoreTest {
    @TempDir
    Path dir;

    @Test
    void put_get_delete_roundTrip() {
        LocalDirectoryBlobStore blobs = new LocalDirectoryBlobStore(dir);
        blobs.put("tasks/t1/a.png", new byte[]{1, 2, 3}, "image/png");
        assertThat(blobs.get("tasks/t1/a.png")).contains(new byte[]{1, 2, 3});
        blobs.put("tasks/t1/a.png", new byte[]{4}, "image/png");
        assertThat(blobs.get("tasks/t1/a.png")).contains(new byte[]{4});
        blobs.delete("tasks/t1/a.png");
        assertThat(blobs.get("tasks/t1/a.png")).isEmpty();
    }

    @Test
    void keysThatEscapeTheDirectory_areRefused() {
        LocalDirectoryBlobStore blobs = new LocalDirectoryBlobStore(dir.resolve("root"));
        assertThatThrownBy(() -> blobs.put("../outside", new byte[1], null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> blobs.get("/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> blobs.get("a/../../b")).isInstanceOf(IllegalArgumentException.class);
    }
}
