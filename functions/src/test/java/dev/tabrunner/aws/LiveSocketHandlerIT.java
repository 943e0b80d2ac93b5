package dev.tabrunner.aws;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.adapter.apigateway.ApiGatewayLiveView;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.LiveView;
import dev.tabrunner.testing.DynamoDbLocalFixture;
import dev.tabrunner.testing.FakeLambdaContext;
import dev.tabrunner.testing.MovableClock;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live view's WebSocket function with the events API Gateway sends it, against DynamoDB Local: the worker's side
 * (a channel opened, input drained) is another adapter over the same table, as on AWS.
 */
class LiveSocketHandlerIT {
    private static final FakeLambdaContext CONTEXT = new FakeLambdaContext("tabrunner-live-socket", 10_000);
    private final DynamoDbClient dynamoDb = DynamoDbLocalFixture.client();
    private final String table = DynamoDbLocalFixture.TABLES.live();
    private final MovableClock clock = new MovableClock();
    private final ApiGatewayLiveView worker = new ApiGatewayLiveView(dynamoDb, table, null, null, clock);
    private final LiveSocketHandler handler = new LiveSocketHandler(
            new ApiGatewayLiveView(dynamoDb, table, null, null, clock), clock);
    private final String taskId = UUID.randomUUID().toString();
    private final String token = "s".repeat(43);

    private static APIGatewayV2WebSocketEvent event(String routeKey, String connectionId) {
        APIGatewayV2WebSocketEvent.RequestContext context = new APIGatewayV2WebSocketEvent.RequestContext();
        context.setRouteKey(routeKey);
        context.setConnectionId(connectionId);
        context.setEventType(switch (routeKey) {
            case "$connect" -> "CONNECT";
            case "$disconnect" -> "DISCONNECT";
            default -> "MESSAGE";
        });
        context.setStage("live");
        APIGatewayV2WebSocketEvent event = new APIGatewayV2WebSocketEvent();
        event.setRequestContext(context);
        return event;
    }

    private APIGatewayV2WebSocketResponse connect(String connectionId, String taskId, String token) {
        APIGatewayV2WebSocketEvent event = event("$connect", connectionId);
        Map<String, String> query = new HashMap<>();
        query.put("taskId", taskId);
        query.put("token", token);
        event.setQueryStringParameters(query);
        return handler.handleRequest(event, CONTEXT);
    }

    private APIGatewayV2WebSocketResponse message(String connectionId, String body) {
        APIGatewayV2WebSocketEvent event = event("$default", connectionId);
        event.setBody(body);
        return handler.handleRequest(event, CONTEXT);
    }

    private APIGatewayV2WebSocketResponse disconnect(String connectionId) {
        return handler.handleRequest(event("$disconnect", connectionId), CONTEXT);
    }

    private List<String> viewers() {
        AttributeValue set = dynamoDb.getItem(b -> b.tableName(table)
                .key(Map.of("id", AttributeValue.fromS(taskId))).consistentRead(true)).item().get("viewers");
        return set == null ? List.of() : set.ss();
    }

    private static String errorCode(APIGatewayV2WebSocketResponse response) throws IOException {
        JsonNode body = Json.mapper().readTree(response.getBody());
        return body.path("error").path("code").asText();
    }

    @Test
    void theChannelsToken_connects_andItsInputReachesTheWorker() {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));

        assertThat(connect("conn-a=", taskId, token).getStatusCode()).isEqualTo(200);
        assertThat(viewers()).containsExactly("conn-a=");
        assertThat(message("conn-a=", "{\"type\":\"click\",\"x\":12,\"y\":34}").getStatusCode()).isEqualTo(200);
        assertThat(message("conn-a=", "{\"type\":\"text\",\"text\":\"hi\"}").getBody()).isNull();

        List<JsonNode> input = worker.drainInput(taskId);
        assertThat(input).extracting(e -> e.get("type").asText()).containsExactly("click", "text");
        assertThat(input.get(0).get("x").asDouble()).isEqualTo(12.0);
    }

    @Test
    void aWrongToken_aMissingOne_orAnUnknownTask_isRefusedAtTheHandshake() throws IOException {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));

        APIGatewayV2WebSocketResponse wrong = connect("conn-b=", taskId, "x".repeat(43));
        assertThat(wrong.getStatusCode()).isEqualTo(404);
        assertThat(errorCode(wrong)).isEqualTo("live_view_not_found");
        assertThat(connect("conn-b=", taskId, null).getStatusCode()).isEqualTo(404);
        assertThat(connect("conn-b=", "no-such-task", token).getStatusCode()).isEqualTo(404);
        APIGatewayV2WebSocketEvent bare = event("$connect", "conn-b=");
        assertThat(handler.handleRequest(bare, CONTEXT).getStatusCode()).isEqualTo(404);
        assertThat(viewers()).isEmpty();
    }

    @Test
    void anExpiredLink_isRefused_atTheHandshake_andForInput() throws IOException {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));
        assertThat(connect("conn-c=", taskId, token).getStatusCode()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(6));
        assertThat(connect("conn-d=", taskId, token).getStatusCode()).isEqualTo(404);
        APIGatewayV2WebSocketResponse late = message("conn-c=", "{\"type\":\"key\",\"key\":\"Enter\"}");
        assertThat(late.getStatusCode()).isEqualTo(404);
        assertThat(errorCode(late)).isEqualTo("live_view_not_found");
        assertThat(worker.drainInput(taskId)).isEmpty();
    }

    @Test
    void theWatchOnlyToken_connects_butItsInputIsRefused() throws IOException {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));

        assertThat(connect("conn-w=", taskId, LiveView.watchToken(token)).getStatusCode()).isEqualTo(200);
        assertThat(viewers()).containsExactly("conn-w=");
        APIGatewayV2WebSocketResponse refused = message("conn-w=", "{\"type\":\"click\",\"x\":1,\"y\":2}");
        assertThat(refused.getStatusCode()).isEqualTo(403);
        assertThat(errorCode(refused)).isEqualTo("watch_only");
        assertThat(worker.drainInput(taskId)).isEmpty();
    }

    @Test
    void input_isCheckedAsThePostRouteChecksIt() throws IOException {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));
        connect("conn-e=", taskId, token);

        APIGatewayV2WebSocketResponse unknownType = message("conn-e=", "{\"type\":\"navigate\",\"url\":\"x\"}");
        assertThat(unknownType.getStatusCode()).isEqualTo(400);
        assertThat(message("conn-e=", "{\"type\":\"scroll\"}").getStatusCode()).isEqualTo(400);
        assertThat(errorCode(message("conn-e=", "not json"))).isEqualTo("invalid_json");
        assertThat(message("never-connected=", "{\"type\":\"done\"}").getStatusCode()).isEqualTo(404);
        assertThat(worker.drainInput(taskId)).isEmpty();
    }

    @Test
    void disconnect_forgetsTheViewer_andItsConnectionActsNoMore() {
        worker.open(taskId, token, clock.instant().plus(Duration.ofMinutes(5)));
        connect("conn-f=", taskId, token);
        connect("conn-g=", taskId, token);
        clock.advance(Duration.ofSeconds(2));
        assertThat(worker.watched(taskId)).isTrue();

        assertThat(disconnect("conn-f=").getStatusCode()).isEqualTo(200);
        assertThat(viewers()).containsExactly("conn-g=");
        assertThat(message("conn-f=", "{\"type\":\"done\"}").getStatusCode()).isEqualTo(404);
        assertThat(disconnect("conn-g=").getStatusCode()).isEqualTo(200);
        assertThat(disconnect("conn-g=").getStatusCode()).as("twice is harmless").isEqualTo(200);
        clock.advance(Duration.ofSeconds(2));
        assertThat(worker.watched(taskId)).isFalse();
    }
}
