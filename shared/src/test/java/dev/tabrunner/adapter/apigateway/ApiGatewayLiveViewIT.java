package dev.tabrunner.adapter.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.LiveView;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import dev.tabrunner.testing.MovableClock;
import dev.tabrunner.testing.NoisyJpeg;
import dev.tabrunner.testing.SubstituteManagementApi;
import dev.tabrunner.testing.SubstituteManagementApi.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live view's WebSocket transport against DynamoDB Local and a loopback substitute of the management API that
 * the real SDK client talks to. Three adapter instances play the three processes of a deployment: the worker
 * (posts frames), the socket function (admits and forgets viewers) and the API (checks tokens, queues input).
 */
class ApiGatewayLiveViewIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final DynamoDbClient dynamoDb = DynamoDbLocalFixture.client();
    private final String table = DynamoDbLocalFixture.TABLES.live();
    private final SubstituteManagementApi substitute = new SubstituteManagementApi();
    private final ApiGatewayManagementApiClient management = substitute.client();
    private final MovableClock clock = new MovableClock();
    private final ApiGatewayLiveView worker = new ApiGatewayLiveView(dynamoDb, table, management, null, clock);
    private final ApiGatewayLiveView sockets = new ApiGatewayLiveView(dynamoDb, table, null, null, clock);
    private final ApiGatewayLiveView api = new ApiGatewayLiveView(dynamoDb, table, null,
            "wss://abc.execute-api.eu-west-1.amazonaws.com/live", clock);
    private final String taskId = UUID.randomUUID().toString();
    private final String token = "k".repeat(43);

    @AfterEach
    void stop() {
        management.close();
        substitute.close();
    }

    private String connect(String token) {
        String connectionId = "c" + UUID.randomUUID().toString().substring(0, 12) + "=";
        LiveView.Access access = sockets.access(taskId, token, clock.instant()).orElseThrow();
        assertThat(sockets.admit(taskId, connectionId, access)).isEqualTo(ApiGatewayLiveView.Admission.ADMITTED);
        return connectionId;
    }

    private List<String> viewersInTheTable() {
        AttributeValue set = dynamoDb.getItem(b -> b.tableName(table)
                .key(Map.of("id", AttributeValue.fromS(taskId))).consistentRead(true)).item().get("viewers");
        return set == null ? List.of() : set.ss();
    }

    private static JsonNode json(Received r) throws IOException {
        return Json.mapper().readTree(r.body());
    }

    @Test
    void aFrame_isPostedToEveryViewer_asBase64InAnEnvelope_bySignedSdkRequests() throws Exception {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));
        String first = connect(token);
        String second = connect(LiveView.watchToken(token));
        byte[] frame = jpeg(64, 48, 1);

        worker.publishFrame(taskId, frame);

        List<Received> posts = substitute.await(r -> r.method().equals("POST"), 2, WAIT);
        assertThat(posts).extracting(Received::connectionId).containsExactlyInAnyOrder(first, second);
        for (Received post : posts) {
            assertThat(post.signed()).as("SigV4 for execute-api").isTrue();
            JsonNode message = json(post);
            assertThat(message.get("type").asText()).isEqualTo("frame");
            assertThat(message.get("scale").asDouble()).isEqualTo(1.0);
            assertThat(Base64.getDecoder().decode(message.get("jpeg").asText())).isEqualTo(frame);
        }
    }

    @Test
    void aGoneViewer_isRemovedFromTheChannel_andTheOthersStillGetFrames() throws Exception {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));
        String staying = connect(token);
        String leaving = connect(token);
        substitute.markGone(leaving);

        worker.publishFrame(taskId, jpeg(64, 48, 2));
        substitute.await(r -> true, 2, WAIT);
        assertThat(worker.awaitPosted(taskId, WAIT)).isTrue();

        assertThat(viewersInTheTable()).containsExactly(staying);
        assertThat(sockets.viewer(leaving)).isEmpty();
        assertThat(sockets.viewer(staying)).isPresent();
        worker.publishFrame(taskId, jpeg(64, 48, 3));
        assertThat(worker.awaitPosted(taskId, WAIT)).isTrue();
        assertThat(substitute.received(r -> r.connectionId().equals(leaving))).hasSize(1);
        assertThat(substitute.received(r -> r.connectionId().equals(staying))).hasSize(2);
    }

    @Test
    void aFrameOverTheMessageCap_isShrunkToFitOneMessage_withItsScale() throws Exception {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));
        connect(token);
        byte[] big = jpeg(800, 600, 4);
        assertThat(big.length).isGreaterThan(ApiGatewayLiveView.MAX_FRAME_BYTES);

        worker.publishFrame(taskId, big);

        Received post = substitute.await(r -> true, 1, WAIT).getFirst();
        assertThat(post.body().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(ApiGatewayLiveView.MAX_MESSAGE_BYTES);
        JsonNode message = json(post);
        double scale = message.get("scale").asDouble();
        assertThat(scale).isLessThan(1.0);
        BufferedImage shown = ImageIO.read(new ByteArrayInputStream(
                Base64.getDecoder().decode(message.get("jpeg").asText())));
        assertThat(shown.getWidth()).isEqualTo((int) Math.round(800 * scale));
    }

    @Test
    void nothingIsPosted_whileNobodyWatches() throws Exception {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));
        worker.publishFrame(taskId, jpeg(64, 48, 5));
        assertThat(worker.awaitPosted(taskId, WAIT)).isTrue();
        Thread.sleep(100);
        assertThat(substitute.received()).isEmpty();
    }

    @Test
    void watched_followsTheConnectedViewers_readAtMostOnceASecond() {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(worker.watched(taskId)).isFalse();

        String viewer = connect(token);
        assertThat(worker.watched(taskId)).as("the answer is kept for a second").isFalse();
        clock.advance(Duration.ofMillis(1_100));
        assertThat(worker.watched(taskId)).isTrue();

        sockets.leave(viewer);
        assertThat(viewersInTheTable()).isEmpty();
        assertThat(sockets.viewer(viewer)).isEmpty();
        clock.advance(Duration.ofMillis(1_100));
        assertThat(worker.watched(taskId)).isFalse();
    }

    @Test
    void aChannelOpenedAgainWithItsToken_keepsItsViewers_aNewTokenDoesNot() {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));
        String viewer = connect(token);
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(viewersInTheTable()).containsExactly(viewer);
        assertThat(api.access(taskId, token, clock.instant().plus(Duration.ofMinutes(7)))).isPresent();

        worker.open(taskId, "n".repeat(43), clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(viewersInTheTable()).isEmpty();
    }

    @Test
    void aFullChannel_andAClosedOne_admitNobody() {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));
        LiveView.Access access = sockets.access(taskId, token, clock.instant()).orElseThrow();
        for (int i = 0; i < ApiGatewayLiveView.MAX_VIEWERS; i++) {
            assertThat(sockets.admit(taskId, "v" + i, access)).isEqualTo(ApiGatewayLiveView.Admission.ADMITTED);
        }
        assertThat(sockets.admit(taskId, "one-too-many", access)).isEqualTo(ApiGatewayLiveView.Admission.FULL);
        assertThat(sockets.admit("no-such-task", "x", access))
                .isEqualTo(ApiGatewayLiveView.Admission.CHANNEL_CLOSED);
    }

    @Test
    void close_endsTheViewersSockets_andTheChannel() throws Exception {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));
        String viewer = connect(token);
        worker.close(taskId);

        assertThat(substitute.received()).extracting(Received::method, Received::connectionId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("POST", viewer),
                        org.assertj.core.groups.Tuple.tuple("DELETE", viewer));
        assertThat(json(substitute.received().getFirst()).get("type").asText()).isEqualTo("end");
        assertThat(api.access(taskId, token, clock.instant())).isEmpty();
    }

    @Test
    void theApiNamesTheSocket_withTheToken_andQueuesInputAsItComes() throws IOException {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(api.frameSocket(taskId, token)).hasValue("wss://abc.execute-api.eu-west-1.amazonaws.com/live"
                + "?taskId=" + taskId + "&token=" + token);
        assertThat(worker.frameSocket(taskId, token)).isEmpty();

        api.sendInput(taskId, Json.mapper().readTree("{\"type\":\"click\",\"x\":10.5,\"y\":20}"));
        assertThat(worker.drainInput(taskId)).singleElement()
                .satisfies(e -> assertThat(e.get("x").asDouble()).isEqualTo(10.5));
    }

    /**
     * Frame latency worker → viewer connection in one JVM: publish to the substitute's receipt of the post, 60 KB
     * frames at 25 a second to two viewers. The figures go to docs/adr/0040-live-view-frames-on-aws.md; in region
     * the post itself adds API Gateway's 10-30 ms.
     */
    @Test
    void frameLatency_publishToPosted() throws Exception {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));
        connect(token);
        connect(token);
        int frames = 120;
        long[] published = new long[frames];
        Random random = new Random(7);
        for (int i = 0; i < frames; i++) {
            byte[] frame = new byte[60_000];
            random.nextBytes(frame);
            ByteBuffer.wrap(frame).putInt(i);
            published[i] = System.nanoTime();
            worker.publishFrame(taskId, frame);
            Thread.sleep(40);
        }
        assertThat(worker.awaitPosted(taskId, WAIT)).isTrue();
        List<Double> latencies = new ArrayList<>();
        for (Received r : substitute.received()) {
            byte[] frame = Base64.getDecoder().decode(json(r).get("jpeg").asText());
            latencies.add((r.nanos() - published[ByteBuffer.wrap(frame).getInt()]) / 1e6);
        }
        Collections.sort(latencies);
        double p50 = latencies.get(latencies.size() / 2);
        double p95 = latencies.get((int) (latencies.size() * 0.95));
        System.out.printf("live view over the WebSocket substitute (60 KB frames, 2 viewers): %d of %d posts"
                        + " arrived, publish to received p50 %.1f ms, p95 %.1f ms%n", latencies.size(), 2 * frames,
                p50, p95);
        assertThat(latencies.size()).as("a frame is skipped only when a newer one replaced it")
                .isGreaterThan(frames);
        assertThat(p50).isLessThan(500);
    }

    private static byte[] jpeg(int w, int h, long seed) throws IOException {
        return NoisyJpeg.of(w, h, seed);
    }
}
