package dev.tabrunner.testing.contract;

import dev.tabrunner.port.IdempotencyStore;
import dev.tabrunner.port.IdempotencyStore.Entry;
import dev.tabrunner.testing.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link IdempotencyStore} promises: a key is reserved once; while the first request runs, others see it
 * in progress; its response is replayed; an abandoned reservation is taken over once stale, a completed one never;
 * a released key runs afresh. Each test uses keys of its own.
 */
public abstract class IdempotencyStoreContract {
    private static final Duration KEEP = Duration.ofHours(24);
    private static final Duration STALE = Duration.ofMinutes(5);
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

    private final String key = "t-" + UUID.randomUUID() + ":" + UUID.randomUUID();
    private IdempotencyStore store;

    /** The store under test; called once per test. */
    protected abstract IdempotencyStore store();

    @BeforeEach
    void createStore() {
        store = store();
    }

    private Optional<Entry> reserve(String fingerprint, Instant now) {
        return store.reserve(key, fingerprint, now, KEEP, STALE);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void reserve_isEmptyTheFirstTime_andThenShowsTheRequestInProgress() {
        assertThat(reserve("fp-1", T0)).isEmpty();

        Entry inProgress = reserve("fp-1", T0.plusSeconds(1)).orElseThrow();
        assertThat(inProgress.fingerprint()).isEqualTo("fp-1");
        assertThat(inProgress.status()).isNull();
        assertThat(inProgress.body()).isNull();
    }

    @Test
    void complete_keepsTheResponse_thatEveryLaterReserveReplays() {
        reserve("fp-1", T0);
        store.complete(key, 201, utf8("{\"id\":\"task-1\"}"));

        for (Instant later : new Instant[]{T0.plusSeconds(1), T0.plus(STALE).plusSeconds(1)}) {
            Entry replay = reserve("fp-1", later).orElseThrow();
            assertThat(replay.fingerprint()).isEqualTo("fp-1");
            assertThat(replay.status()).isEqualTo(201);
            assertThat(replay.body()).asString(StandardCharsets.UTF_8).isEqualTo("{\"id\":\"task-1\"}");
        }
    }

    @Test
    void reserve_withADifferentFingerprint_getsWhatTheKeyHolds_andChangesNothing() {
        reserve("fp-1", T0);
        Entry whileRunning = reserve("fp-2", T0.plusSeconds(1)).orElseThrow();
        assertThat(whileRunning.fingerprint()).isEqualTo("fp-1");
        assertThat(whileRunning.status()).isNull();

        store.complete(key, 200, utf8("first"));
        Entry afterwards = reserve("fp-2", T0.plusSeconds(2)).orElseThrow();
        assertThat(afterwards.fingerprint()).isEqualTo("fp-1");
        assertThat(afterwards.status()).isEqualTo(200);
        assertThat(afterwards.body()).asString(StandardCharsets.UTF_8).isEqualTo("first");
    }

    @Test
    void anUnfinishedReservation_isTakenOver_onlyOnceOlderThanStaleAfter() {
        reserve("fp-1", T0);
        assertThat(reserve("fp-1", T0.plus(STALE).minusSeconds(1))).isPresent();
        assertThat(reserve("fp-1", T0.plus(STALE))).isPresent();

        Instant takeover = T0.plus(STALE).plusSeconds(1);
        assertThat(reserve("fp-2", takeover)).isEmpty();

        Entry now = reserve("fp-3", takeover.plusSeconds(1)).orElseThrow();
        assertThat(now.fingerprint()).isEqualTo("fp-2");
        assertThat(now.status()).isNull();
        assertThat(reserve("fp-3", takeover.plus(STALE))).isPresent();
    }

    @Test
    void aCompletedResponse_isNeverTakenOver() {
        reserve("fp-1", T0);
        store.complete(key, 202, utf8("accepted"));
        Entry much = reserve("fp-2", T0.plus(STALE).plus(Duration.ofHours(1))).orElseThrow();
        assertThat(much.fingerprint()).isEqualTo("fp-1");
        assertThat(much.status()).isEqualTo(202);
    }

    @Test
    void release_givesTheKeyUp_soThatARetryRunsAfresh() {
        reserve("fp-1", T0);
        store.release(key);
        assertThat(reserve("fp-2", T0.plusSeconds(1))).isEmpty();
        assertThat(reserve("fp-2", T0.plusSeconds(2)).orElseThrow().fingerprint()).isEqualTo("fp-2");
    }

    @Test
    void release_afterComplete_keepsTheResponse() {
        reserve("fp-1", T0);
        store.complete(key, 201, utf8("kept"));
        store.release(key);
        Entry replay = reserve("fp-1", T0.plusSeconds(1)).orElseThrow();
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.body()).asString(StandardCharsets.UTF_8).isEqualTo("kept");
    }

    @Test
    void release_ofAKeyNeverReserved_isHarmless() {
        store.release(key);
        assertThat(reserve("fp-1", T0)).isEmpty();
    }

    @Test
    void aResponseWithoutBody_isReplayedWithoutBody() {
        reserve("fp-1", T0);
        store.complete(key, 204, new byte[0]);
        Entry replay = reserve("fp-1", T0.plusSeconds(1)).orElseThrow();
        assertThat(replay.status()).isEqualTo(204);
        assertThat(replay.body()).isNullOrEmpty();
    }

    @Test
    void aLargeResponse_isReplayedWhole() {
        // a Run Task answer with inline screenshots: larger than a DynamoDB item may be
        byte[] large = new byte[450_000];
        Arrays.fill(large, (byte) 'x');
        large[large.length - 1] = 'y';
        reserve("fp-1", T0);
        store.complete(key, 200, large);
        assertThat(reserve("fp-1", T0.plusSeconds(1)).orElseThrow().body()).isEqualTo(large);
    }

    @Test
    void keys_areIndependent() {
        String otherKey = key + "-other";
        reserve("fp-1", T0);
        store.complete(key, 201, utf8("one"));
        assertThat(store.reserve(otherKey, "fp-9", T0, KEEP, STALE)).isEmpty();
        assertThat(reserve("fp-1", T0).orElseThrow().body()).asString(StandardCharsets.UTF_8).isEqualTo("one");
    }

    @Test
    void requestsRacingForOneKey_runOnlyOnce() {
        List<Boolean> reserved = Race.run(6, n -> reserve("fp-1", T0).isEmpty());
        assertThat(reserved).containsOnlyOnce(true);
    }
}
