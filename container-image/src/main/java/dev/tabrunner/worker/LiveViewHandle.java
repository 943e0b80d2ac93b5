package dev.tabrunner.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.engine.EngineListener;
import dev.tabrunner.port.LiveView;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * The live view of one running task. One view per task: an open while one is open (the authenticate
 * {@code prompt_user} flow inside an agent task that keeps a view for its whole run) shares it, keeping its URL and
 * token, so the person already watching is the one asked to log in; the view closes when its last holder closes
 * it. A later deadline extends the shared view (its channel is opened again with the same token, which drops input
 * not yet applied). Its URL is recorded on the task while it is open, so that the caller can hand it on.
 */
final class LiveViewHandle {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LiveView liveView;
    private final TaskWriter writer;
    private final Clock clock;
    private OpenView open;

    LiveViewHandle(LiveView liveView, TaskWriter writer, Clock clock) {
        this.liveView = liveView;
        this.writer = writer;
        this.clock = clock;
    }

    /** The live view a task has open, and how many openers hold it. */
    private static final class OpenView {
        final String token;
        final String url;
        Instant until;
        int holders;

        OpenView(String token, String url, Instant until) {
            this.token = token;
            this.url = url;
            this.until = until;
        }
    }

    /** Opens the view (or joins the open one) for a person, reachable for {@code pause}. */
    synchronized EngineListener.LiveSession open(Duration pause) {
        TaskRecord t = writer.current();
        Instant until = clock.instant().plus(pause);
        if (open == null) {
            byte[] random = new byte[32];
            RANDOM.nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            liveView.open(t.id(), token, until);
            String url = "/live/" + t.id() + "?token=" + token;
            writer.write(r -> r.toBuilder().liveViewUrl(url).build());
            open = new OpenView(token, url, until);
        } else if (until.isAfter(open.until)) {
            liveView.open(t.id(), open.token, until);
            open.until = until;
        }
        open.holders++;
        OpenView view = open;
        return new EngineListener.LiveSession() {
            private boolean closed;

            @Override
            public String url() {
                return view.url;
            }

            @Override
            public void publishFrame(byte[] jpeg) {
                liveView.publishFrame(t.id(), jpeg);
            }

            @Override
            public List<JsonNode> drainInput() {
                return liveView.drainInput(t.id());
            }

            @Override
            public void close() {
                synchronized (LiveViewHandle.this) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    if (--view.holders > 0) {
                        return;
                    }
                    open = null;
                }
                liveView.close(t.id());
                writer.write(r -> r.toBuilder().liveViewUrl(null).build());
            }
        };
    }
}
