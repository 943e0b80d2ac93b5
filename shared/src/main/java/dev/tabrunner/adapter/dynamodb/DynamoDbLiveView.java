package dev.tabrunner.adapter.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

    private final DynamoDbClient client;
    private final String table;
    private final int maxFrameBytes;
    /** Per task, the digest of the last frame written, so that an unchanged page costs no write. */
    private final Map<String, byte[]> lastFrameDigest = new ConcurrentHashMap<>();
    private final Map<String, Long> ttlByTask = new ConcurrentHashMap<>();

    public DynamoDbLiveView(DynamoDbClient client, String table) {
        this(client, table, DEFAULT_MAX_FRAME_BYTES);
    }

    public DynamoDbLiveView(DynamoDbClient client, String table, int maxFrameBytes) {
        this.client = client;
        this.table = table;
        this.maxFrameBytes = maxFrameBytes;
    }

    private static Map<String, AttributeValue> channelKey(String taskId) {
        return Map.of("id", s(taskId));
    }

    private static Map<String, AttributeValue> frameKey(String taskId) {
        return Map.of("id", s(taskId + "#frame"));
    }

    @Override
    public void open(String taskId, String token, Instant expiresAt) {
        long ttl = expiresAt.plus(TTL_GRACE).getEpochSecond();
        try {
            client.deleteItem(b -> b.tableName(table).key(frameKey(taskId)));
            client.putItem(b -> b.tableName(table).item(Map.of(
                    "id", s(taskId),
                    "tokenHash", s(sha256(token)),
                    "expiresAt", n(expiresAt.toEpochMilli()),
                    "input", AttributeValue.builder().l(List.of()).build(),
                    "ttl", n(ttl))));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not open the live view of task " + taskId, e);
        }
        ttlByTask.put(taskId, ttl);
        lastFrameDigest.remove(taskId);
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
        Fitted fitted = fit(jpeg);
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
        String json;
        try {
            json = Json.mapper().writeValueAsString(stored);
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

    record Fitted(byte[] jpeg, double scale) {
    }

    /** Re-encodes a frame too large for one item: lower quality first, then smaller, until it fits. */
    Fitted fit(byte[] jpeg) {
        if (jpeg.length <= maxFrameBytes) {
            return new Fitted(jpeg, 1.0);
        }
        try {
            BufferedImage source = ImageIO.read(new ByteArrayInputStream(jpeg));
            if (source == null) {
                throw new IllegalArgumentException("the frame is not an image");
            }
            double scale = Math.min(1.0, Math.sqrt((double) maxFrameBytes / jpeg.length));
            for (int attempt = 0; attempt < 8; attempt++) {
                byte[] out = encode(scaled(source, scale), 0.5f);
                if (out.length <= maxFrameBytes) {
                    return new Fitted(out, scale);
                }
                scale *= 0.75;
            }
            throw new IllegalArgumentException("the frame cannot be made small enough");
        } catch (IOException e) {
            throw new IllegalArgumentException("the frame could not be re-encoded", e);
        }
    }

    private static BufferedImage scaled(BufferedImage source, double scale) {
        int w = Math.max(1, (int) Math.round(source.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(source.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    private static byte[] encode(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
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
