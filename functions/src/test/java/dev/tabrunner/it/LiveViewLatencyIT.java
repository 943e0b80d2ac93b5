package dev.tabrunner.it;

import dev.tabrunner.bench.LiveViewProbe;
import dev.tabrunner.port.LiveView;
import dev.tabrunner.testing.Async;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live view's figures in one JVM (README, "Live view"): a frame published by the worker reaches the viewer's
 * event stream within a frame's time, and a page that changes on every paint streams at screencast rates.
 */
class LiveViewLatencyIT {
    private final TestSystem sys = TestSystem.get();

    @Test
    void aPublishedFrame_reachesTheViewersStream_withinAFramesTime() throws Exception {
        LiveView liveView = sys.server.context().getBean(LiveView.class);
        LiveViewProbe.Figures f = LiveViewProbe.transport(sys.server.baseUrl(), liveView, 100, 25, 60_000);
        System.out.printf("live view transport (in-process, 60 KB frames at 25/s): p50 %.1f ms, p95 %.1f ms,"
                + " %.1f frames/s%n", f.percentile(50), f.percentile(95), f.framesPerSecond());
        assertThat(f.latenciesMs()).hasSizeGreaterThan(80);
        assertThat(f.percentile(50)).isLessThan(100);
        assertThat(f.framesPerSecond()).isGreaterThan(15);
    }

    @Test
    void aPageThatChangesOnEveryPaint_streamsManyFramesASecond() throws Exception {
        Api api = sys.newTenant("user");
        String session = sys.newSession(api);
        CompletableFuture<Api.Response> task = Async.supply(() -> api.runTask(session,
                LiveViewIT.promptTask(sys.url("/animated.html"), "#never", 15_000)));
        String live = LiveViewIT.liveViewUrl(api, session);
        assertThat(live).isNotNull();
        double fps = LiveViewProbe.framesPerSecond(sys.server.baseUrl() + live, 4);
        System.out.printf("live view screencast (an animated page, 1280x720): %.1f frames/s%n", fps);
        assertThat(fps).isGreaterThan(4);
        new Api(sys.server.baseUrl(), null).post(live.replace("?", "/input?"), "{\"type\":\"done\"}");
        task.get();
    }
}
