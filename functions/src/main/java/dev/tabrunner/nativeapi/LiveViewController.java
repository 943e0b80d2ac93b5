package dev.tabrunner.nativeapi;

import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.port.BrowserConnections;
import dev.tabrunner.port.LiveView;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.TaskStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live view a person uses to watch, or act in, a task's browser. No API key: the unguessable, expiring token in
 * the URL is the authorisation; its watch-only form ({@link LiveView#watchToken}) sees the frames and nothing else.
 * A wrong or expired token answers 404 like an unknown task: the page as an HTML page that says so, its data as
 * JSON. Frames are pushed as server-sent events as soon as the worker publishes them ({@code /frames}).
 */
@Tag(name = ApiDefinition.PAGES)
@Controller("/live/{taskId}")
final class LiveViewController {
    /** How often the stream looks for a newer frame: well under a frame's time at 25 frames a second. */
    private static final Duration FRAME_POLL = Duration.ofMillis(20);
    /** How often the stream checks that its link still opens the view (a read of the channel on AWS). */
    private static final long CHECK_EVERY_TICKS = 50;

    /** How soon a viewer's EventSource asks again after a one-frame answer (a host that cannot stream). */
    private static final Duration POLL_AGAIN = Duration.ofMillis(250);

    private final LiveView liveView;
    private final TaskStore tasks;
    private final boolean streams;
    private final Clock clock;
    private final String page;
    private final String gone;

    /**
     * @param connections whether this host keeps connections open (the local server): a Lambda function behind API
     *                    Gateway answers once and cannot stream, so there each answer carries the latest frame only
     */
    LiveViewController(LiveView liveView, TaskStore tasks, BrowserConnections connections, Clock clock)
            throws IOException {
        this.liveView = liveView;
        this.streams = connections.available();
        this.tasks = tasks;
        this.clock = clock;
        this.page = resource("/live-view.html");
        this.gone = resource("/live-view-gone.html");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = LiveViewController.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private LiveView.Access access(String taskId, String token) {
        return liveView.access(taskId, token, clock.instant()).orElseThrow(() ->
                new NotFoundException("live_view_not_found", "no open live view for this link"));
    }

    @Get(produces = MediaType.TEXT_HTML)
    HttpResponse<String> viewer(String taskId, @Nullable @QueryValue String token) {
        boolean open = liveView.access(taskId, token, clock.instant()).isPresent();
        return HttpResponse.<String>status(open ? HttpStatus.OK : HttpStatus.NOT_FOUND).body(open ? page : gone)
                .contentType(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer");
    }

    @Get(value = "/frame", produces = MediaType.IMAGE_JPEG)
    HttpResponse<byte[]> frame(String taskId, @Nullable @QueryValue String token) {
        access(taskId, token);
        return liveView.latestFrame(taskId).map(f -> HttpResponse.ok(f).header("Cache-Control", "no-store"))
                .orElseGet(HttpResponse::noContent);
    }

    /**
     * The frames as they come: one event per new frame (its JPEG in base64), ending when the view closes. The
     * stream reads the channel's latest frame every {@link #FRAME_POLL}, which is a memory read in one JVM. Where the
     * host cannot stream (Lambda), one answer carries the latest frame and tells the EventSource to come back: see
     * docs/adr/0040-live-view-frames-on-aws.md for the transport that replaces this on AWS.
     */
    @Get(value = "/frames", produces = MediaType.TEXT_EVENT_STREAM)
    Publisher<Event<String>> frames(String taskId, @Nullable @QueryValue String token) {
        access(taskId, token);
        if (!streams) {
            // the viewer's EventSource comes back after the retry interval: polling, in the stream's own terms
            return Flux.fromStream(liveView.latestFrame(taskId).stream())
                    .map(f -> Event.of(Base64.getEncoder().encodeToString(f)).name("frame").retry(POLL_AGAIN))
                    .defaultIfEmpty(Event.of("").name("wait").retry(POLL_AGAIN));
        }
        AtomicReference<byte[]> sent = new AtomicReference<>();
        return Flux.interval(FRAME_POLL).onBackpressureDrop()
                .publishOn(Schedulers.boundedElastic())
                .takeWhile(tick -> tick % CHECK_EVERY_TICKS != 0
                        || liveView.access(taskId, token, clock.instant()).isPresent())
                .concatMap(tick -> Flux.fromStream(liveView.latestFrame(taskId).stream()))
                .filter(f -> {
                    byte[] last = sent.get();
                    if (last == f || Arrays.equals(last, f)) {
                        return false;
                    }
                    sent.set(f);
                    return true;
                })
                .map(f -> Event.of(Base64.getEncoder().encodeToString(f)).name("frame"))
                .concatWith(Flux.just(Event.of("closed").name("end")));
    }

    /**
     * What the view's header says: what the task is doing, and until when the link works.
     *
     * @param frameSocket where the frames are pushed ({@code wss://…} with the token) when the deployment has a
     *                    WebSocket API for them (AWS, ADR 0040); null when they come from {@code /frames}
     */
    record Status(String state, String kind, String title, int steps, String expiresAt, boolean canAct,
                  String watchOnlyUrl, String frameSocket) {
    }

    @Get(value = "/status", produces = MediaType.APPLICATION_JSON)
    Status status(String taskId, @Nullable @QueryValue String token) {
        LiveView.Access access = access(taskId, token);
        Optional<TaskRecord> task = tasks.findForWorker(taskId);
        String kind = task.map(TaskRecord::kind).orElse("task");
        String state = task.map(t -> t.status().isTerminal() ? "ended" : stateOf(t, access)).orElse("ended");
        String title = task.map(LiveViewController::title).orElse(null);
        int steps = task.map(LiveViewController::steps).orElse(0);
        return new Status(state, kind, title, steps,
                access.expiresAt() == null ? null : access.expiresAt().toString(), access.act(),
                access.act() ? "/live/" + taskId + "?token=" + LiveView.watchToken(token) + "&readOnly=1" : null,
                liveView.frameSocket(taskId, token).orElse(null));
    }

    /**
     * A task that asks its person to act is waiting for their login; a connection is an idle session a person asked
     * to see, or a program driving the browser over CDP.
     */
    private static String stateOf(TaskRecord t, LiveView.Access access) {
        if (access.asking()) {
            return "login_waiting";
        }
        if (!TaskRecord.KIND_CONNECTION.equals(t.kind())) {
            return "running";
        }
        return t.request().path("watch").asBoolean(false) ? "idle" : "connected";
    }

    private static String title(TaskRecord t) {
        return switch (t.kind()) {
            case TaskRecord.KIND_AGENT -> t.request().path("taskDetails").asText(null);
            case TaskRecord.KIND_CONNECTION -> "session " + t.sessionId();
            default -> t.request().path("actions").size() + " action(s)";
        };
    }

    private static int steps(TaskRecord t) {
        return TaskRecord.KIND_AGENT.equals(t.kind()) && t.agent() != null ? t.agent().path("steps").size()
                : t.results().size();
    }

    @Post("/input")
    HttpResponse<?> input(String taskId, @Nullable @QueryValue String token, @Nullable @Body String body) {
        LiveInputs.send(liveView, taskId, access(taskId, token).act(), body);
        return HttpResponse.accepted();
    }
}
