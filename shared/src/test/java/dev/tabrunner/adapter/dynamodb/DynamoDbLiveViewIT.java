package dev.tabrunner.adapter.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import dev.tabrunner.testing.MovableClock;
import dev.tabrunner.testing.NoisyJpeg;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live view through DynamoDB Local, with two adapter instances over the table: one plays the worker
 * invocation, the other the API invocations serving the person's browser, as on AWS.
 */
class DynamoDbLiveViewIT {
    private final DynamoDbClient client = DynamoDbLocalFixture.client();
    private final String table = DynamoDbLocalFixture.TABLES.live();
    private final DynamoDbLiveView worker = new DynamoDbLiveView(client, table);
    private final DynamoDbLiveView api = new DynamoDbLiveView(client, table);
    private final String taskId = UUID.randomUUID().toString();
    private final Instant now = Instant.now();

    private static JsonNode event(String json) throws IOException {
        return Json.mapper().readTree(json);
    }

    @Test
    void theTokenOpensTheChannel_untilItExpires_andOnlyItsHashIsStored() {
        String token = "a".repeat(43);
        worker.open(taskId, token, now.plus(Duration.ofMinutes(5)));
        assertThat(api.authorize(taskId, token, now)).isTrue();
        assertThat(api.authorize(taskId, "b".repeat(43), now)).isFalse();
        assertThat(api.authorize(taskId, null, now)).isFalse();
        assertThat(api.authorize(taskId, token, now.plus(Duration.ofMinutes(6)))).isFalse();
        assertThat(api.authorize("no-such-task", token, now)).isFalse();

        Map<String, AttributeValue> row = client.getItem(b -> b.tableName(table)
                .key(Map.of("id", AttributeValue.fromS(taskId)))).item();
        assertThat(row.toString()).doesNotContain(token);
        assertThat(Long.parseLong(row.get("ttl").n()))
                .isEqualTo(now.plus(Duration.ofMinutes(5)).plus(Duration.ofHours(1)).getEpochSecond());
    }

    @Test
    void theWatchOnlyToken_seesTheChannel_butCannotAct() {
        String token = "w".repeat(43);
        worker.open(taskId, token, now.plus(Duration.ofMinutes(5)));
        assertThat(api.access(taskId, token, now)).hasValueSatisfying(a -> assertThat(a.act()).isTrue());
        assertThat(api.access(taskId, dev.tabrunner.port.LiveView.watchToken(token), now))
                .hasValueSatisfying(a -> {
                    assertThat(a.act()).isFalse();
                    assertThat(a.expiresAt()).isEqualTo(Instant.ofEpochMilli(now.plus(Duration.ofMinutes(5))
                            .toEpochMilli()));
                });
        assertThat(api.access(taskId, "x".repeat(64), now)).isEmpty();
        assertThat(api.access(taskId, token, now.plus(Duration.ofMinutes(6)))).isEmpty();
    }

    /**
     * The frame path as deployed on AWS today, in one JVM against DynamoDB Local: the worker writes each frame to
     * the channel's frame item, a reader polls it as the viewer's stream does. The figures go to
     * docs/adr/0040-live-view-frames-on-aws.md; on AWS each write is also ~1,400 WCU/s for 350 KB at 4/s.
     */
    @Test
    void frameLatency_throughTheTable() throws Exception {
        worker.open(taskId, "t", now.plus(Duration.ofMinutes(5)));
        Random random = new Random(7);
        java.util.List<Double> writes = new java.util.ArrayList<>();
        java.util.List<Double> seen = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] frame = new byte[60_000];
            random.nextBytes(frame);
            long t = System.nanoTime();
            worker.publishFrame(taskId, frame);
            writes.add((System.nanoTime() - t) / 1e6);
            while (!java.util.Arrays.equals(api.latestFrame(taskId).orElse(null), frame)) {
                Thread.sleep(5);
            }
            seen.add((System.nanoTime() - t) / 1e6);
        }
        java.util.Collections.sort(writes);
        java.util.Collections.sort(seen);
        System.out.printf("live view through DynamoDB Local (60 KB frames): write p50 %.1f ms, published to read"
                + " p50 %.1f ms, p95 %.1f ms%n", writes.get(10), seen.get(10), seen.get(18));
        assertThat(seen.get(10)).isLessThan(1_000);
    }

    @Test
    void frames_reachTheApi_andAnUnchangedFrameIsNotWrittenAgain() throws IOException {
        worker.open(taskId, "t", now.plus(Duration.ofMinutes(5)));
        assertThat(api.latestFrame(taskId)).isEmpty();
        byte[] first = jpeg(64, 48, 1);
        worker.publishFrame(taskId, first);
        assertThat(api.latestFrame(taskId)).hasValue(first);

        client.deleteItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(taskId + "#frame"))));
        worker.publishFrame(taskId, first);
        assertThat(api.latestFrame(taskId)).as("the same bytes again are skipped").isEmpty();
        byte[] second = jpeg(64, 48, 2);
        worker.publishFrame(taskId, second);
        assertThat(api.latestFrame(taskId)).hasValue(second);
    }

    @Test
    void inputEvents_arriveInOrder_once() throws IOException {
        worker.open(taskId, "t", now.plus(Duration.ofMinutes(5)));
        api.sendInput(taskId, event("{\"type\":\"text\",\"text\":\"a\"}"));
        api.sendInput(taskId, event("{\"type\":\"key\",\"key\":\"Tab\"}"));
        api.sendInput(taskId, event("{\"type\":\"click\",\"x\":10,\"y\":20}"));
        List<JsonNode> drained = worker.drainInput(taskId);
        assertThat(drained).extracting(e -> e.get("type").asText()).containsExactly("text", "key", "click");
        assertThat(drained.get(2).get("x").asDouble()).isEqualTo(10.0);
        assertThat(worker.drainInput(taskId)).isEmpty();

        api.sendInput(taskId, event("{\"type\":\"text\",\"text\":\"b\"}"));
        assertThat(worker.drainInput(taskId)).extracting(e -> e.get("text").asText()).containsExactly("b");
    }

    @Test
    void theQueueIsBounded_andDrainedInBatches() throws IOException {
        worker.open(taskId, "t", now.plus(Duration.ofMinutes(5)));
        for (int i = 0; i < DynamoDbLiveView.MAX_QUEUED_EVENTS + 5; i++) {
            api.sendInput(taskId, event("{\"type\":\"text\",\"text\":\"" + i + "\"}"));
        }
        List<JsonNode> firstBatch = worker.drainInput(taskId);
        List<JsonNode> secondBatch = worker.drainInput(taskId);
        assertThat(firstBatch).hasSize(DynamoDbLiveView.MAX_DRAINED_PER_CALL);
        assertThat(firstBatch.get(0).get("text").asText()).isEqualTo("0");
        assertThat(secondBatch.get(0).get("text").asText())
                .isEqualTo(Integer.toString(DynamoDbLiveView.MAX_DRAINED_PER_CALL));
        assertThat(firstBatch.size() + secondBatch.size()).isEqualTo(DynamoDbLiveView.MAX_QUEUED_EVENTS);
        assertThat(worker.drainInput(taskId)).isEmpty();
    }

    @Test
    void aFrameTooLargeForAnItem_isShrunk_andClicksAreScaledBackToThePage() throws IOException {
        DynamoDbLiveView small = new DynamoDbLiveView(client, table, 20_000);
        small.open(taskId, "t", now.plus(Duration.ofMinutes(5)));
        byte[] big = jpeg(800, 600, 3);
        assertThat(big.length).isGreaterThan(20_000);
        small.publishFrame(taskId, big);
        byte[] stored = api.latestFrame(taskId).orElseThrow();
        assertThat(stored.length).isLessThanOrEqualTo(20_000);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(stored));
        double scale = image.getWidth() / 800.0;
        assertThat(scale).isLessThan(1.0);

        api.sendInput(taskId, event("{\"type\":\"click\",\"x\":" + (100 * scale) + ",\"y\":" + (50 * scale) + "}"));
        JsonNode click = small.drainInput(taskId).get(0);
        assertThat(click.get("x").asDouble()).isCloseTo(100.0, org.assertj.core.data.Offset.offset(1.0));
        assertThat(click.get("y").asDouble()).isCloseTo(50.0, org.assertj.core.data.Offset.offset(1.0));
    }

    /** Without a socket, a viewer is someone the API served frames to lately: its polls touch viewedAt. */
    @Test
    void watched_whileTheApiServesTheViewerFrames_readAtMostOnceASecond() {
        MovableClock clock = new MovableClock();
        DynamoDbLiveView worker = new DynamoDbLiveView(client, table, DynamoDbLiveView.DEFAULT_MAX_FRAME_BYTES, clock);
        DynamoDbLiveView api = new DynamoDbLiveView(client, table, DynamoDbLiveView.DEFAULT_MAX_FRAME_BYTES, clock);
        worker.open(taskId, "t", clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(worker.watched(taskId)).isFalse();

        api.latestFrame(taskId);
        assertThat(worker.watched(taskId)).as("the answer is kept for a second").isFalse();
        clock.advance(Duration.ofMillis(1_100));
        assertThat(worker.watched(taskId)).isTrue();

        clock.advance(DynamoDbLiveView.VIEWED_FOR);
        assertThat(worker.watched(taskId)).as("nobody polled since").isFalse();
    }

    @Test
    void aChannelNobodyOpened_isNotWatched_andAPollDoesNotCreateIt() {
        MovableClock clock = new MovableClock();
        DynamoDbLiveView view = new DynamoDbLiveView(client, table, DynamoDbLiveView.DEFAULT_MAX_FRAME_BYTES, clock);
        view.latestFrame(taskId);
        assertThat(view.watched(taskId)).isFalse();
        assertThat(client.getItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(taskId))))
                .hasItem()).isFalse();
    }

    @Test
    void close_endsTheChannel_andLaterInputIsDropped() throws IOException {
        worker.open(taskId, "t", now.plus(Duration.ofMinutes(5)));
        worker.publishFrame(taskId, jpeg(32, 32, 4));
        worker.close(taskId);
        assertThat(api.authorize(taskId, "t", now)).isFalse();
        assertThat(api.latestFrame(taskId)).isEmpty();
        api.sendInput(taskId, event("{\"type\":\"text\",\"text\":\"late\"}"));
        assertThat(worker.drainInput(taskId)).isEmpty();
    }

    private static byte[] jpeg(int w, int h, long seed) throws IOException {
        return NoisyJpeg.of(w, h, seed);
    }
}
