package dev.tabrunner.bench;

import dev.tabrunner.port.LiveView;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The live view's figures: how long a published frame takes to reach a viewer's event stream, and how many frames a
 * second a viewer gets. Used by {@code LiveViewLatencyIT} (which bounds them) and by the benchmark (which prints).
 */
public final class LiveViewProbe {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private LiveViewProbe() {
    }

    /** Latencies in milliseconds, and the frames a second the viewer received. */
    public record Figures(List<Double> latenciesMs, double framesPerSecond) {
        public double percentile(double p) {
            List<Double> sorted = new ArrayList<>(latenciesMs);
            Collections.sort(sorted);
            return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1,
                    (int) Math.ceil(p / 100 * sorted.size()) - 1));
        }
    }

    /**
     * Publishes {@code frames} frames of {@code frameBytes} at {@code fps} on a channel of its own and reads them
     * from the viewer's event stream at {@code baseUrl}: the transport alone, without a browser's paint.
     */
    public static Figures transport(String baseUrl, LiveView liveView, int frames, int fps, int frameBytes)
            throws Exception {
        String taskId = "probe-" + System.nanoTime();
        String token = "probe-token-" + System.nanoTime();
        liveView.open(taskId, token, Instant.now().plus(Duration.ofMinutes(5)));
        Map<Integer, Long> published = new ConcurrentHashMap<>();
        Map<Integer, Long> received = new ConcurrentHashMap<>();
        AtomicInteger count = new AtomicInteger();
        Thread reader = Thread.ofPlatform().daemon().start(() -> read(baseUrl + "/live/" + taskId + "/frames?token="
                + token, data -> {
                    byte[] frame = Base64.getDecoder().decode(data);
                    received.putIfAbsent(ByteBuffer.wrap(frame).getInt(), System.nanoTime());
                    count.incrementAndGet();
                }));
        Thread.sleep(500); // the stream is open before the first frame
        long start = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            byte[] frame = new byte[frameBytes];
            ByteBuffer.wrap(frame).putInt(i);
            published.put(i, System.nanoTime());
            liveView.publishFrame(taskId, frame);
            Thread.sleep(1000L / fps);
        }
        Thread.sleep(500);
        double seconds = (System.nanoTime() - start) / 1e9;
        liveView.close(taskId);
        reader.interrupt();
        List<Double> latencies = new ArrayList<>();
        received.forEach((seq, at) -> latencies.add((at - published.get(seq)) / 1e6));
        return new Figures(latencies, count.get() / seconds);
    }

    /** Counts the frames a viewer's stream delivers for {@code seconds}. */
    public static double framesPerSecond(String viewerUrl, double seconds) throws InterruptedException {
        AtomicInteger count = new AtomicInteger();
        Thread reader = Thread.ofPlatform().daemon().start(() -> read(viewerUrl.replace("?", "/frames?"),
                data -> count.incrementAndGet()));
        Thread.sleep(1000); // the first frames of a stream are the page as it stood: not counted
        int before = count.get();
        Thread.sleep((long) (seconds * 1000));
        int frames = count.get() - before;
        reader.interrupt();
        return frames / seconds;
    }

    private static void read(String url, java.util.function.Consumer<String> onFrame) {
        try {
            HttpResponse<Stream<String>> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            String event = null;
            for (String line : (Iterable<String>) r.body()::iterator) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:") && "frame".equals(event)) {
                    onFrame.accept(line.substring(5).trim());
                } else if (line.isEmpty()) {
                    event = null;
                }
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        } catch (IOException e) {
            // the stream ended
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
