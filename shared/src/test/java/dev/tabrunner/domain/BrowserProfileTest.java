package dev.tabrunner.domain;

import dev.tabrunner.port.BlobKeys;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BrowserProfileTest {
    @Test
    void everyIdThePatternAccepts_makesAKeyTheStoresAccept_andTheOthersAreRefused() {
        for (String id : List.of("a..b", "0..", "a.", "a-b_c.d", "x".repeat(128), "A", "9...9")) {
            assertThat(BrowserProfile.ID.matcher(id).matches()).as(id).isTrue();
            assertThat(BlobKeys.valid(BrowserProfile.stateKey("tenant-1", id))).as(id).isTrue();
        }
        for (String id : List.of("..", ".", ".a", "a/b", "../x", "x".repeat(129), "a b", "", "-a", "_a")) {
            assertThat(BrowserProfile.ID.matcher(id).matches()).as(id).isFalse();
        }
    }
}
