package dev.tabrunner.adapter.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.port.LiveView;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The live-view channel within one JVM (the local server). Input queues are bounded against flooding. A viewer's
 * stream reads the latest frame many times a second; a channel read within {@link #VIEWER_GONE_NANOS} has a viewer.
 */
public final class InProcessLiveView implements LiveView {
    private static final int MAX_QUEUED_EVENTS = 500;
    private static final long VIEWER_GONE_NANOS = 5_000_000_000L;

    /** @param viewedAt when a viewer last read the channel's frame ({@link System#nanoTime()}), 0 for never */
    private record Channel(String token, Instant expiresAt, ConcurrentLinkedQueue<JsonNode> input,
                           byte[][] frame, long[] viewedAt, boolean[] asking) {
    }

    private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();

    @Override
    public void open(String taskId, String token, Instant expiresAt) {
        // channels whose run ended without closing them (its worker lost the task) go when their time is up
        Instant now = Instant.now();
        channels.values().removeIf(c -> c.expiresAt().isBefore(now));
        channels.put(taskId, new Channel(token, expiresAt, new ConcurrentLinkedQueue<>(), new byte[1][],
                new long[1], new boolean[1]));
    }

    @Override
    public boolean authorize(String taskId, String token, Instant now) {
        Channel c = channels.get(taskId);
        return c != null && token != null && now.isBefore(c.expiresAt())
                && MessageDigest.isEqual(c.token().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Optional<Access> access(String taskId, String token, Instant now) {
        Channel c = channels.get(taskId);
        if (c == null || token == null || !now.isBefore(c.expiresAt())) {
            return Optional.empty();
        }
        if (MessageDigest.isEqual(c.token().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new Access(true, c.expiresAt(), c.asking()[0]));
        }
        boolean watching = MessageDigest.isEqual(LiveView.watchToken(c.token()).getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
        return watching ? Optional.of(new Access(false, c.expiresAt(), c.asking()[0])) : Optional.empty();
    }

    @Override
    public void publishFrame(String taskId, byte[] jpeg) {
        Channel c = channels.get(taskId);
        if (c != null) {
            c.frame()[0] = jpeg;
        }
    }

    @Override
    public void asking(String taskId, boolean asking) {
        Channel c = channels.get(taskId);
        if (c != null) {
            c.asking()[0] = asking;
        }
    }

    @Override
    public boolean watched(String taskId) {
        Channel c = channels.get(taskId);
        return c != null && c.viewedAt()[0] != 0 && System.nanoTime() - c.viewedAt()[0] < VIEWER_GONE_NANOS;
    }

    @Override
    public Optional<byte[]> latestFrame(String taskId) {
        Channel c = channels.get(taskId);
        if (c == null) {
            return Optional.empty();
        }
        c.viewedAt()[0] = System.nanoTime();
        return Optional.ofNullable(c.frame()[0]);
    }

    @Override
    public void sendInput(String taskId, JsonNode event) {
        Channel c = channels.get(taskId);
        if (c != null && c.input().size() < MAX_QUEUED_EVENTS) {
            c.input().add(event);
        }
    }

    @Override
    public List<JsonNode> drainInput(String taskId) {
        Channel c = channels.get(taskId);
        List<JsonNode> out = new ArrayList<>();
        if (c != null) {
            JsonNode e;
            while ((e = c.input().poll()) != null) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public void close(String taskId) {
        channels.remove(taskId);
    }
}
