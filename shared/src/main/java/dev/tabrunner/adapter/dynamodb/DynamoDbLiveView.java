package dev.tabrunner.adapter.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.adapter.FrameFit;
import dev.tabrunner.adapter.ShortLivedAnswers;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.LiveView;
import dev.tabrunner.port.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.n;
import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.s;

/**
 * The live view across processes: the worker invocation that runs the task and the API invocations that serve the
 * person's browser meet in one table (docs/adr/0001-live-view-on-aws.md).
 *
 * <ul>
 *   <li>{@code <taskId>}: the channel: SHA-256 of the token, expiry, and the queue of input events (a list the
 *   API appends to with a conditional update and the worker trims from the front);</li>
 *   <li>{@code <taskId>#frame}: the latest JPEG and the factor it was scaled by to fit the item size limit.</li>
 * </ul>
 * Whether someone watches ({@link #watched}) is the channel's {@code viewedAt}, which the API touches when it serves
 * the viewer a frame (at most every {@link #VIEWED_TOUCH_EVERY} per task and API instance): a viewer polls several
 * times a second, so a channel nobody has polled for {@link #VIEWED_FOR} has nobody watching.
 * Both carry {@code ttl} (epoch seconds) so that DynamoDB removes what a crashed worker left behind; reads check the
 * expiry themselves because TTL deletion may lag by hours.
 */
public final class DynamoDbLiveView implements LiveView {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbLiveView.class);
    /** DynamoDB items are at most 400 KB; the frame item keeps a margin for its other attributes. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 350_000;
    static final int MAX_QUEUED_EVENTS = 200;
    static final int MAX_DRAINED_PER_CALL = 100;
    private static final Duration TTL_GRACE = Duration.ofHours(1);
    static final Duration VIEWED_TOUCH_EVERY = Duration.ofSeconds(3);
    static final Duration VIEWED_FOR = Duration.ofSeconds(10);
    /** How long the worker's answer to {@link #watched} is kept: it asks between actions, the table once a second. */
    public static final Duration WATCHED_KEPT = Duration.ofSeconds(1);

    private final DynamoDbClient client;
    private final String table;
    private final int maxFrameBytes;
    /** Per task, the digest of the last frame written, so that an unchanged page costs no write. */
    private final Map<String, byte[]> lastFrameDigest = new ConcurrentHashMap<>();
    private final Map<String, Long> ttlByTask = new ConcurrentHashMap<>();
    /** Per task, when this process last touched {@code viewedAt}. */
    private final Map<String, Instant> viewedTouched = new ConcurrentHashMap<>();
    private final ShortLivedAnswers<Boolean> watched;
    private final Clock clock;

    public DynamoDbLiveView(DynamoDbClient client, String table) {
        this(client, table, DEFAULT_MAX_FRAME_BYTES, Clock.systemUTC());
    }

    public DynamoDbLiveView(DynamoDbClient client, String table, int maxFrameBytes) {
        this(client, table, maxFrameBytes, Clock.systemUTC());
    }

    public DynamoDbLiveView(DynamoDbClient client, String table, int maxFrameBytes, Clock clock) {
        this.client = client;
        this.table = table;
        this.maxFrameBytes = maxFrameBytes;
        this.clock = clock;
        this.watched = new ShortLivedAnswers<>(WATCHED_KEPT, clock);
    }

    private static Map<String, AttributeValue> channelKey(String taskId) {
        return Map.of("id", s(taskId));
    }

    private static Map<String, AttributeValue> frameKey(String taskId) {
        return Map.of("id", s(taskId + "#frame"));
    }

    /**
     * A new token starts a new channel in one write (every task's run opens one when it is claimed); a channel opened
     * again with its own token (a later deadline) keeps what else it holds (its viewers, when viewedAt was touched)
     * and drops queued input. A frame item an earlier run of the task left is replaced by this run's first frame.
     */
    @Override
    public void open(String taskId, String token, Instant expiresAt) {
        long ttl = expiresAt.plus(TTL_GRACE).getEpochSecond();
        String tokenHash = sha256(token);
        try {
            try {
                client.putItem(b -> b.tableName(table).item(Map.of(
                                "id", s(taskId),
                                "tokenHash", s(tokenHash),
                                "expiresAt", n(expiresAt.toEpochMilli()),
                                "input", AttributeValue.builder().l(List.of()).build(),
                                "ttl", n(ttl)))
                        .conditionExpression("attribute_not_exists(id) OR tokenHash <> :h")
                        .expressionAttributeValues(Map.of(":h", s(tokenHash))));
            } catch (ConditionalCheckFailedException sameToken) {
                client.updateItem(b -> b.tableName(table).key(channelKey(taskId))
                        .updateExpression("SET expiresAt = :e, #in = :none, #ttl = :ttl")
                        .expressionAttributeNames(Map.of("#in", "input", "#ttl", "ttl"))
                        .expressionAttributeValues(Map.of(":e", n(expiresAt.toEpochMilli()),
                                ":none", AttributeValue.builder().l(List.of()).build(), ":ttl", n(ttl))));
            }
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not open the live view of task " + taskId, e);
        }
        ttlByTask.put(taskId, ttl);
        lastFrameDigest.remove(taskId);
        watched.forget(taskId);
    }

    /** True when an API function served the channel's viewer a frame within the last {@link #VIEWED_FOR}. */
    @Override
    public boolean watched(String taskId) {
        return watched.get(taskId, id -> {
            Map<String, AttributeValue> item = read(channelKey(id), "viewedAt", false);
            return item != null && item.containsKey("viewedAt") && clock.millis()
                    - Long.parseLong(item.get("viewedAt").n()) < VIEWED_FOR.toMillis();
        });
    }

    /** Records that a viewer polled the channel: one small write per task every few seconds per API instance. */
    private void touchViewed(String taskId) {
        Instant now = clock.instant();
        Instant last = viewedTouched.get(taskId);
        if (last != null && now.isBefore(last.plus(VIEWED_TOUCH_EVERY))) {
            return;
        }
        viewedTouched.put(taskId, now);
        try {
            client.updateItem(b -> b.tableName(table).key(channelKey(taskId))
                    .updateExpression("SET viewedAt = :now").conditionExpression("attribute_exists(id)")
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()))));
        } catch (ConditionalCheckFailedException e) {
            viewedTouched.remove(taskId);
        } catch (SdkException e) {
            // the worker then starts the screencast a few seconds later, when the next poll touches it
            LOG.debug("viewedAt of task {} not touched: {}", taskId, e.getMessage());
        }
    }

    @Override
    public boolean authorize(String taskId, String token, Instant now) {
        if (token == null || token.isEmpty() || token.length() > 256) {
            return false;
        }
        Map<String, AttributeValue> item = read(channelKey(taskId), "tokenHash, expiresAt", true);
        if (item == null || !item.containsKey("tokenHash") || !item.containsKey("expiresAt")) {
            return false;
        }
        boolean tokenMatches = MessageDigest.isEqual(item.get("tokenHash").s().getBytes(StandardCharsets.US_ASCII),
                sha256(token).getBytes(StandardCharsets.US_ASCII));
        return tokenMatches && now.toEpochMilli() < Long.parseLong(item.get("expiresAt").n());
    }

    /** The channel keeps the token's SHA-256 only, which is also the watch-only token ({@link #watchToken}). */
    @Override
    public Optional<Access> access(String taskId, String token, Instant now) {
        if (token == null || token.isEmpty() || token.length() > 256) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = read(channelKey(taskId), "tokenHash, expiresAt, asking", true);
        if (item == null || !item.containsKey("tokenHash") || !item.containsKey("expiresAt")) {
            return Optional.empty();
        }
        Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(item.get("expiresAt").n()));
        boolean asking = item.containsKey("asking") && Boolean.TRUE.equals(item.get("asking").bool());
        if (!now.isBefore(expiresAt)) {
            return Optional.empty();
        }
        byte[] stored = item.get("tokenHash").s().getBytes(StandardCharsets.US_ASCII);
        if (MessageDigest.isEqual(stored, sha256(token).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of(new Access(true, expiresAt, asking));
        }
        return MessageDigest.isEqual(stored, token.getBytes(StandardCharsets.US_ASCII))
                ? Optional.of(new Access(false, expiresAt, asking)) : Optional.empty();
    }

    /** One write when a login starts waiting for its person and one when it ends: the view's header reads it. */
    @Override
    public void asking(String taskId, boolean asking) {
        try {
            client.updateItem(b -> {
                b.tableName(table).key(channelKey(taskId)).conditionExpression("attribute_exists(id)")
                        .updateExpression(asking ? "SET asking = :t" : "REMOVE asking");
                if (asking) {
                    b.expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true)));
                }
            });
        } catch (ConditionalCheckFailedException e) {
            // the view closed meanwhile
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not mark the live view of task " + taskId, e);
        }
    }

    @Override
    public void publishFrame(String taskId, byte[] jpeg) {
        byte[] digest = digest(jpeg);
        if (Arrays.equals(digest, lastFrameDigest.get(taskId))) {
            return;
        }
        FrameFit fitted = FrameFit.of(jpeg, maxFrameBytes);
        long ttl = ttlByTask.getOrDefault(taskId, Instant.now().plus(TTL_GRACE).getEpochSecond());
        try {
            client.putItem(b -> b.tableName(table).item(Map.of(
                    "id", s(taskId + "#frame"),
                    "frame", AttributeValue.builder().b(SdkBytes.fromByteArray(fitted.jpeg())).build(),
                    "scale", AttributeValue.builder().n(Double.toString(fitted.scale())).build(),
                    "ttl", n(ttl))));
            lastFrameDigest.put(taskId, digest);
        } catch (SdkException e) {
            // a lost frame is replaced by the next one a quarter of a second later
            LOG.debug("frame of task {} not stored: {}", taskId, e.getMessage());
        }
    }

    @Override
    public Optional<byte[]> latestFrame(String taskId) {
        touchViewed(taskId);
        // eventually consistent: a frame a fraction of a second old is as good, at half the read cost
        Map<String, AttributeValue> item = read(frameKey(taskId), "frame", false);
        return item == null || !item.containsKey("frame") ? Optional.empty()
                : Optional.of(item.get("frame").b().asByteArray());
    }

    /**
     * Appends the event to the channel's queue; dropped when the channel is gone or the queue is full, like the
     * in-process queue. Clicks arrive in the coordinates of the frame the person saw and are scaled back to the
     * page's when that frame had to be shrunk.
     */
    @Override
    public void sendInput(String taskId, JsonNode event) {
        JsonNode stored = event;
        if ("click".equals(event.path("type").asText())) {
            double scale = frameScale(taskId);
            if (scale != 1.0) {
                ObjectNode copy = event.deepCopy();
                copy.put("x", event.path("x").asDouble() / scale);
                copy.put("y", event.path("y").asDouble() / scale);
                stored = copy;
            }
        }
        enqueueInput(taskId, stored);
    }

    /**
     * Appends the event to the channel's queue as it is (coordinates already the page's); dropped when the channel
     * is gone or the queue is full.
     */
    public void enqueueInput(String taskId, JsonNode event) {
        String json;
        try {
            json = Json.mapper().writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unserialisable event", e);
        }
        try {
            client.updateItem(b -> b.tableName(table).key(channelKey(taskId))
                    .updateExpression("SET #in = list_append(#in, :ev)")
                    .conditionExpression("attribute_exists(id) AND size(#in) < :max")
                    .expressionAttributeNames(Map.of("#in", "input"))
                    .expressionAttributeValues(Map.of(
                            ":ev", AttributeValue.builder().l(s(json)).build(),
                            ":max", n(MAX_QUEUED_EVENTS))));
        } catch (ConditionalCheckFailedException e) {
            LOG.debug("input for task {} dropped: channel closed or queue full", taskId);
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not queue input for task " + taskId, e);
        }
    }

    private double frameScale(String taskId) {
        Map<String, AttributeValue> item = read(frameKey(taskId), "scale", false);
        if (item == null || !item.containsKey("scale")) {
            return 1.0;
        }
        double scale = Double.parseDouble(item.get("scale").n());
        return scale > 0 && scale <= 1 ? scale : 1.0;
    }

    /**
     * Reads the queue with a consistent read and removes exactly the events read: only this worker removes, and
     * the API only appends at the end, so the first {@code k} elements are still the ones read.
     */
    @Override
    public List<JsonNode> drainInput(String taskId) {
        Map<String, AttributeValue> item = read(channelKey(taskId), "#in", true);
        if (item == null || !item.containsKey("input") || item.get("input").l().isEmpty()) {
            return List.of();
        }
        List<AttributeValue> queued = item.get("input").l();
        int k = Math.min(queued.size(), MAX_DRAINED_PER_CALL);
        StringBuilder remove = new StringBuilder("REMOVE ");
        for (int i = 0; i < k; i++) {
            remove.append(i == 0 ? "" : ", ").append("#in[").append(i).append(']');
        }
        try {
            client.updateItem(b -> b.tableName(table).key(channelKey(taskId)).updateExpression(remove.toString())
                    .conditionExpression("attribute_exists(id) AND size(#in) >= :k")
                    .expressionAttributeNames(Map.of("#in", "input"))
                    .expressionAttributeValues(Map.of(":k", n(k))));
        } catch (ConditionalCheckFailedException e) {
            return List.of();
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not take input for task " + taskId, e);
        }
        List<JsonNode> events = new ArrayList<>(k);
        for (AttributeValue v : queued.subList(0, k)) {
            try {
                events.add(Json.mapper().readTree(v.s()));
            } catch (JsonProcessingException e) {
                LOG.debug("unreadable input event for task {} skipped", taskId);
            }
        }
        return events;
    }

    @Override
    public void close(String taskId) {
        lastFrameDigest.remove(taskId);
        ttlByTask.remove(taskId);
        viewedTouched.remove(taskId);
        watched.forget(taskId);
        try {
            client.deleteItem(b -> b.tableName(table).key(channelKey(taskId)));
            client.deleteItem(b -> b.tableName(table).key(frameKey(taskId)));
        } catch (SdkException e) {
            // the token expires and TTL removes the items; nothing else depends on them
            LOG.warn("could not close the live view of task {}: {}", taskId, e.getMessage());
        }
    }

    private Map<String, AttributeValue> read(Map<String, AttributeValue> key, String projection, boolean consistent) {
        try {
            GetItemResponse r = client.getItem(b -> {
                b.tableName(table).key(key).projectionExpression(projection).consistentRead(consistent);
                if (projection.contains("#in")) {
                    b.expressionAttributeNames(Map.of("#in", "input"));
                }
            });
            return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not read the live view", e);
        }
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String token) {
        return HexFormat.of().formatHex(digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
