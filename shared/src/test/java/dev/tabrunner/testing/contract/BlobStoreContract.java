package dev.tabrunner.testing.contract;

import dev.tabrunner.port.BlobStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link BlobStore} promises: bytes by key, replaced by a later put, absent once deleted or never
 * stored. Each test writes under a prefix of its own. Links ({@code downloadUrl}) differ by store and are tested
 * with each.
 */
public abstract class BlobStoreContract {
    protected final String prefix = "tasks/t-" + UUID.randomUUID() + "/";
    private BlobStore blobs;

    /** The store under test; called once per test. */
    protected abstract BlobStore store();

    @BeforeEach
    void createStore() {
        blobs = store();
    }

    @Test
    void put_get_delete_roundTrip() {
        String key = prefix + "t1/a.png";
        blobs.put(key, new byte[]{1, 2, 3}, "image/png");
        assertThat(blobs.get(key)).contains(new byte[]{1, 2, 3});
        blobs.put(key, new byte[]{4}, "image/png");
        assertThat(blobs.get(key)).contains(new byte[]{4});
        blobs.delete(key);
        assertThat(blobs.get(key)).isEmpty();
    }

    @Test
    void missingObjects_readAsAbsent_andDeleteIsIdempotent() {
        assertThat(blobs.get(prefix + "none")).isEmpty();
        blobs.put(prefix + "t1/x", new byte[]{1, 2}, "application/octet-stream");
        blobs.delete(prefix + "t1/x");
        blobs.delete(prefix + "t1/x");
        assertThat(blobs.get(prefix + "t1/x")).isEmpty();
        blobs.delete(prefix + "never-stored");
    }

    @Test
    void keys_areIndependent() {
        blobs.put(prefix + "a/one.bin", new byte[]{1}, "application/octet-stream");
        blobs.put(prefix + "a/two.bin", new byte[]{2}, "application/octet-stream");
        blobs.delete(prefix + "a/one.bin");
        assertThat(blobs.get(prefix + "a/one.bin")).isEmpty();
        assertThat(blobs.get(prefix + "a/two.bin")).contains(new byte[]{2});
    }

    @Test
    void emptyBlobs_areStored() {
        blobs.put(prefix + "empty.txt", new byte[0], "text/plain");
        assertThat(blobs.get(prefix + "empty.txt")).hasValueSatisfying(b -> assertThat(b).isEmpty());
    }

    @Test
    void theStoredBytes_doNotChange_withTheArraysHandedInOrOut() {
        byte[] bytes = {1, 2, 3};
        blobs.put(prefix + "state.json", bytes, "application/json");
        bytes[0] = 9;
        blobs.get(prefix + "state.json").orElseThrow()[1] = 9;
        assertThat(blobs.get(prefix + "state.json")).contains(new byte[]{1, 2, 3});
    }

    @Test
    void list_namesTheKeysUnderAPrefix_sorted_andNothingElse() {
        blobs.put(prefix + "profiles/b/state.json", new byte[]{1}, "application/json");
        blobs.put(prefix + "profiles/a/state.json", new byte[]{2}, "application/json");
        blobs.put(prefix + "profiles/a/environment.json", new byte[]{3}, "application/json");
        blobs.put(prefix + "profiles-other/a/state.json", new byte[]{4}, "application/json");
        blobs.put(prefix + "elsewhere.bin", new byte[]{5}, "application/octet-stream");

        assertThat(blobs.list(prefix + "profiles/")).containsExactly(prefix + "profiles/a/environment.json",
                prefix + "profiles/a/state.json", prefix + "profiles/b/state.json");
        assertThat(blobs.list(prefix + "profiles/a/")).containsExactly(prefix + "profiles/a/environment.json",
                prefix + "profiles/a/state.json");
        assertThat(blobs.list(prefix + "profiles")).hasSize(4);
        assertThat(blobs.list(prefix + "nothing-here/")).isEmpty();
        blobs.delete(prefix + "profiles/b/state.json");
        assertThat(blobs.list(prefix + "profiles/")).doesNotContain(prefix + "profiles/b/state.json");
    }

    @Test
    void keys_withDotsInsideASegment_areOrdinary_andClimbingSegmentsAreRefused() {
        blobs.put(prefix + "profiles/a..b/state.json", new byte[]{7}, "application/json");
        assertThat(blobs.get(prefix + "profiles/a..b/state.json")).contains(new byte[]{7});
        for (String bad : java.util.List.of(prefix + "../x", prefix + "a/../../x", "/abs", prefix + "./x",
                prefix + "a//b", prefix + "sp ace", prefix + "x/..")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> blobs.put(bad, new byte[]{1}, "text/plain"))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessage("invalid blob key");
        }
    }
}
