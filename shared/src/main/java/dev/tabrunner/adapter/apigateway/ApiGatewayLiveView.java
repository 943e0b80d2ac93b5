package dev.tabrunner.adapter.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.adapter.FrameFit;
import dev.tabrunner.adapter.ShortLivedAnswers;
import dev.tabrunner.adapter.dynamodb.DynamoDbLiveView;
import dev.tabrunner.port.LiveView;
import dev.tabrunner.port.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The live view on AWS with frames pushed over an API Gateway WebSocket API (docs/adr/0040-live-view-frames-on-aws.md).
 * The channel (token hash, expiry) and the input queue stay in the {@code live} table as {@link DynamoDbLiveView}
 * keeps them; what changes is the frame path:
 *
 * <ul>
 *   <li>the socket function records each viewer's connection: its id in the channel's {@code viewers} (a string
 *   set, at most {@link #MAX_VIEWERS}) and an item {@code socket#<connectionId>} that says which task it watches,
 *   whether it may act and until when;</li>
 *   <li>the worker posts each frame to each viewer with {@code PostToConnection}, as one text message
 *   {@code {"type":"frame","scale":s,"jpeg":"<base64>"}} (API Gateway sends no binary frames to clients): the same
 *   base64 JPEG the server-sent event stream carries, and {@code scale}, the frame's width over the page's, so
 *   that the viewer sends clicks in the page's pixels; {@code {"type":"end"}} when the view closes;</li>
 *   <li>a frame whose message would pass API Gateway's 128 KB cap is re-encoded at lower quality, then scaled
 *   down, until it fits ({@link FrameFit}); one that cannot be made to fit is skipped;</li>
 *   <li>a connection API Gateway answers {@code GoneException} for is removed from the channel.</li>
 * </ul>
 *
 * {@link #publishFrame} does not wait for the posts: the newest frame is handed to a virtual thread per task, which
 * fits and encodes it once and hands it to a virtual thread per viewer; a viewer still receiving the previous frame
 * skips to the newest one. {@link #watched} and the viewer list the worker posts to are read from the channel at
 * most once a second per task. The API functions build this adapter without a management client: they check
 * tokens, serve the viewer page and queue input, and post nothing.
 */
public final class ApiGatewayLiveView implements LiveView {
    private static final Logger LOG = LoggerFactory.getLogger(ApiGatewayLiveView.class);
    /** API Gateway's cap on one WebSocket message. */
    public static final int MAX_MESSAGE_BYTES = 128 * 1024;
    /** The largest JPEG whose message fits: base64 makes 3 bytes 4, and the envelope takes under 64 bytes. */
    public static final int MAX_FRAME_BYTES = (MAX_MESSAGE_BYTES - 64) / 4 * 3;
    /** Viewers of one channel; each frame is one post per viewer. */
    public static final int MAX_VIEWERS = 20;
    /** How long {@link #close} waits for frames still being posted before it ends the viewers' sockets. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
    private static final Duration TTL_GRACE = Duration.ofHours(1);
    private static final String END = "{\"type\":\"end\"}";

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final DynamoDbLiveView channel;
    private final ApiGatewayManagementApiClient management;
    private final String socketUrl;
    private final Clock clock;
    private final ShortLivedAnswers<List<String>> viewers;
    private final ExecutorService posts = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Feed> feeds = new ConcurrentHashMap<>();

    /** A viewer's connection, as the socket function recorded it at {@code $connect}. */
    public record Viewer(String taskId, boolean act, Instant expiresAt) {
    }

    /** What {@link #admit} did with a connection. */
    public enum Admission { ADMITTED, CHANNEL_CLOSED, FULL }

    /**
     * @param management the WebSocket API's management client (its endpoint is the stage's callback URL), or null
     *                   in a process that posts no frames (the API functions, the socket function)
     * @param socketUrl  the WebSocket API's public {@code wss://} URL, or null in a process that hands out no links
     */
    public ApiGatewayLiveView(DynamoDbClient dynamoDb, String table, ApiGatewayManagementApiClient management,
                              String socketUrl, Clock clock) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.channel = new DynamoDbLiveView(dynamoDb, table, DynamoDbLiveView.DEFAULT_MAX_FRAME_BYTES, clock);
        this.management = management;
        this.socketUrl = socketUrl;
        this.clock = clock;
        this.viewers = new ShortLivedAnswers<>(DynamoDbLiveView.WATCHED_KEPT, clock);
    }

    /** The frames of one task and the viewers they go to. */
    private final class Feed {
        final String taskId;
        final LatestOnly<byte[]> frames;
        final Map<String, LatestOnly<String>> outboxes = new ConcurrentHashMap<>();

        Feed(String taskId) {
            this.taskId = taskId;
            this.frames = new LatestOnly<>(posts, this::fanOut);
        }

        private void fanOut(byte[] jpeg) {
            FrameFit fit;
            try {
                fit = FrameFit.of(jpeg, MAX_FRAME_BYTES);
            } catch (IllegalArgumentException e) {
                LOG.debug("frame of task {} skipped: {}", taskId, e.getMessage());
                return;
            }
            String message = "{\"type\":\"frame\",\"scale\":" + fit.scale() + ",\"jpeg\":\""
                    + Base64.getEncoder().encodeToString(fit.jpeg()) + "\"}";
            for (String connectionId : viewers(taskId)) {
                outboxes.computeIfAbsent(connectionId,
                        c -> new LatestOnly<>(posts, m -> post(this, c, m))).offer(message);
            }
        }

        boolean idle() {
            return frames.idle() && outboxes.values().stream().allMatch(LatestOnly::idle);
        }
    }

    private static Map<String, AttributeValue> channelKey(String taskId) {
        return Map.of("id", AttributeValue.fromS(taskId));
    }

    private static Map<String, AttributeValue> socketKey(String connectionId) {
        return Map.of("id", AttributeValue.fromS("socket#" + connectionId));
    }

    @Override
    public void open(String taskId, String token, Instant expiresAt) {
        channel.open(taskId, token, expiresAt);
        viewers.forget(taskId);
    }

    @Override
    public boolean authorize(String taskId, String token, Instant now) {
        return channel.authorize(taskId, token, now);
    }

    @Override
    public Optional<Access> access(String taskId, String token, Instant now) {
        return channel.access(taskId, token, now);
    }

    @Override
    public void asking(String taskId, boolean asking) {
        channel.asking(taskId, asking);
    }

    @Override
    public Optional<String> frameSocket(String taskId, String token) {
        if (socketUrl == null) {
            return Optional.empty();
        }
        return Optional.of(socketUrl + "?taskId=" + URLEncoder.encode(taskId, StandardCharsets.UTF_8)
                + "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    /**
     * Records a viewer's connection on the channel it was granted {@code access} to.
     *
     * @throws StoreUnavailableException when the table cannot be reached
     */
    public Admission admit(String taskId, String connectionId, Access access) {
        Instant expiresAt = access.expiresAt() != null ? access.expiresAt() : clock.instant().plus(TTL_GRACE);
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(channelKey(taskId))
                    .updateExpression("ADD viewers :c")
                    .conditionExpression("attribute_exists(id) AND (attribute_not_exists(viewers)"
                            + " OR size(viewers) < :max)")
                    .expressionAttributeValues(Map.of(":c", AttributeValue.fromSs(List.of(connectionId)),
                            ":max", AttributeValue.fromN(Integer.toString(MAX_VIEWERS)))));
        } catch (ConditionalCheckFailedException e) {
            return channelOpen(taskId) ? Admission.FULL : Admission.CHANNEL_CLOSED;
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not record a viewer of task " + taskId, e);
        }
        try {
            dynamoDb.putItem(b -> b.tableName(table).item(Map.of(
                    "id", AttributeValue.fromS("socket#" + connectionId),
                    "taskId", AttributeValue.fromS(taskId),
                    "act", AttributeValue.fromBool(access.act()),
                    "expiresAt", AttributeValue.fromN(Long.toString(expiresAt.toEpochMilli())),
                    "ttl", AttributeValue.fromN(Long.toString(expiresAt.plus(TTL_GRACE).getEpochSecond())))));
        } catch (SdkException e) {
            removeFromChannel(taskId, connectionId);
            throw new StoreUnavailableException("could not record a viewer of task " + taskId, e);
        }
        viewers.forget(taskId);
        return Admission.ADMITTED;
    }

    /** The viewer behind a connection, or empty when it was never admitted or has left. */
    public Optional<Viewer> viewer(String connectionId) {
        Map<String, AttributeValue> item;
        try {
            // consistent: a message can follow its $connect by milliseconds
            GetItemResponse r = dynamoDb.getItem(b -> b.tableName(table).key(socketKey(connectionId))
                    .consistentRead(true));
            item = r.hasItem() && !r.item().isEmpty() ? r.item() : null;
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not read a viewer's connection", e);
        }
        if (item == null || !item.containsKey("taskId")) {
            return Optional.empty();
        }
        return Optional.of(new Viewer(item.get("taskId").s(), Boolean.TRUE.equals(item.get("act").bool()),
                Instant.ofEpochMilli(Long.parseLong(item.get("expiresAt").n()))));
    }

    /** Forgets a viewer's connection ({@code $disconnect}); nothing happens for one never admitted. */
    public void leave(String connectionId) {
        viewer(connectionId).ifPresent(v -> removeFromChannel(v.taskId(), connectionId));
        deleteSocket(connectionId);
    }

    /** True when at least one viewer is connected to the channel (read at most once a second per task). */
    @Override
    public boolean watched(String taskId) {
        return !viewers(taskId).isEmpty();
    }

    private List<String> viewers(String taskId) {
        return viewers.get(taskId, id -> {
            try {
                GetItemResponse r = dynamoDb.getItem(b -> b.tableName(table).key(channelKey(id))
                        .projectionExpression("viewers"));
                AttributeValue set = r.hasItem() ? r.item().get("viewers") : null;
                return set == null || !set.hasSs() ? List.of() : List.copyOf(set.ss());
            } catch (SdkException e) {
                // nobody is sent frames until the next read: the view stalls for a second, the task goes on
                LOG.debug("viewers of task {} not read: {}", id, e.getMessage());
                return List.of();
            }
        });
    }

    /**
     * Hands the frame to the task's feed and returns: it is fitted, encoded and posted on virtual threads. Frames
     * for a channel nobody watches are dropped here.
     *
     * @throws IllegalStateException in a process built without the management client
     */
    @Override
    public void publishFrame(String taskId, byte[] jpeg) {
        if (management == null) {
            throw new IllegalStateException("this process posts no live view frames (no WebSocket endpoint)");
        }
        if (viewers(taskId).isEmpty()) {
            return;
        }
        feeds.computeIfAbsent(taskId, Feed::new).frames.offer(jpeg);
    }

    private void post(Feed feed, String connectionId, String message) {
        try {
            management.postToConnection(b -> b.connectionId(connectionId)
                    .data(SdkBytes.fromString(message, StandardCharsets.UTF_8)));
        } catch (GoneException e) {
            LOG.debug("viewer {} of task {} is gone", connectionId, feed.taskId);
            viewers.replace(feed.taskId, list -> list.stream().filter(c -> !c.equals(connectionId)).toList());
            removeFromChannel(feed.taskId, connectionId);
            deleteSocket(connectionId);
            // last: until then the feed is not idle (awaitPosted, close), as the viewer is not forgotten yet
            feed.outboxes.remove(connectionId);
        } catch (SdkException e) {
            // a lost frame is replaced by the next one
            LOG.debug("frame for viewer {} of task {} not posted: {}", connectionId, feed.taskId, e.getMessage());
        }
    }

    /** Waits (at most {@code timeout}) until every frame handed over for the task has been posted or dropped. */
    boolean awaitPosted(String taskId, Duration timeout) {
        Feed feed = feeds.get(taskId);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (feed != null && !feed.idle()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public Optional<byte[]> latestFrame(String taskId) {
        return channel.latestFrame(taskId);
    }

    /** Queued as it comes: the viewer already scaled its clicks to the page with the frame's {@code scale}. */
    @Override
    public void sendInput(String taskId, JsonNode event) {
        channel.enqueueInput(taskId, event);
    }

    @Override
    public List<JsonNode> drainInput(String taskId) {
        return channel.drainInput(taskId);
    }

    /**
     * Ends the viewers' sockets after the frames under way (a closed view's page then says it has ended), and
     * closes the channel.
     */
    @Override
    public void close(String taskId) {
        if (management != null) {
            awaitPosted(taskId, CLOSE_WAIT);
            List<String> watching = new ArrayList<>(readViewers(taskId));
            for (String connectionId : watching) {
                try {
                    management.postToConnection(b -> b.connectionId(connectionId)
                            .data(SdkBytes.fromString(END, StandardCharsets.UTF_8)));
                    management.deleteConnection(b -> b.connectionId(connectionId));
                } catch (SdkException e) {
                    LOG.debug("viewer {} of task {} not ended: {}", connectionId, taskId, e.getMessage());
                }
            }
        }
        feeds.remove(taskId);
        viewers.forget(taskId);
        channel.close(taskId);
    }

    private List<String> readViewers(String taskId) {
        viewers.forget(taskId);
        return viewers(taskId);
    }

    private boolean channelOpen(String taskId) {
        try {
            GetItemResponse r = dynamoDb.getItem(b -> b.tableName(table).key(channelKey(taskId))
                    .projectionExpression("expiresAt"));
            return r.hasItem() && r.item().containsKey("expiresAt")
                    && clock.millis() < Long.parseLong(r.item().get("expiresAt").n());
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not read the live view of task " + taskId, e);
        }
    }

    private void removeFromChannel(String taskId, String connectionId) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(channelKey(taskId))
                    .updateExpression("DELETE viewers :c").conditionExpression("attribute_exists(id)")
                    .expressionAttributeValues(Map.of(":c", AttributeValue.fromSs(List.of(connectionId)))));
        } catch (ConditionalCheckFailedException e) {
            // the channel is closed: nothing to remove it from
        } catch (SdkException e) {
            // a stale id costs one GoneException on the next frame, which removes it then
            LOG.debug("viewer {} of task {} not removed: {}", connectionId, taskId, e.getMessage());
        }
    }

    private void deleteSocket(String connectionId) {
        try {
            dynamoDb.deleteItem(b -> b.tableName(table).key(socketKey(connectionId)));
        } catch (SdkException e) {
            // its TTL removes it
            LOG.debug("connection {} not forgotten: {}", connectionId, e.getMessage());
        }
    }
}
