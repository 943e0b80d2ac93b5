package dev.tabrunner.adapter.local;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Every running task has a channel; the worker paints only for a channel someone reads. */
class InProcessLiveViewTest {
    @Test
    void aChannelIsWatched_onlyOnceAViewerReadsIt() {
        InProcessLiveView live = new InProcessLiveView();
        assertThat(live.watched("t1")).as("no channel").isFalse();
        live.open("t1", "token", Instant.now().plus(Duration.ofMinutes(5)));
        assertThat(live.watched("t1")).as("open, nobody there").isFalse();
        live.publishFrame("t1", new byte[]{1});
        assertThat(live.watched("t1")).as("the worker's own frame is no viewer").isFalse();
        assertThat(live.latestFrame("t1")).isPresent();
        assertThat(live.watched("t1")).isTrue();
        live.close("t1");
        assertThat(live.watched("t1")).isFalse();
    }

    @Test
    void aChannelPastItsTime_goesWhenTheNextOpens() {
        InProcessLiveView live = new InProcessLiveView();
        live.open("old", "token", Instant.now().minusSeconds(1));
        live.open("new", "token", Instant.now().plus(Duration.ofMinutes(5)));
        live.publishFrame("old", new byte[]{1});
        assertThat(live.latestFrame("old")).isEmpty();
        assertThat(live.latestFrame("new")).isEmpty();
    }
}
