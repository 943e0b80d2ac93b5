package dev.tabrunner.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2WebSocketResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tabrunner.adapter.apigateway.ApiGatewayLiveView;
import dev.tabrunner.adapter.aws.AwsClients;
import dev.tabrunner.adapter.aws.AwsSettings;
import dev.tabrunner.adapter.dynamodb.DynamoDbTables;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.ProductErrorFormat;
import dev.tabrunner.json.Json;
import dev.tabrunner.nativeapi.LiveInputs;
import dev.tabrunner.port.LiveView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The live view's WebSocket API on AWS (docs/adr/0040-live-view-frames-on-aws.md), one function for its three
 * routes:
 *
 * <ul>
 *   <li>{@code $connect}: the {@code taskId} and {@code token} query parameters are checked against the channel
 *   like every live view link ({@link LiveView#access}); the connection is admitted as a viewer that may act (the
 *   channel's token) or only watch ({@link LiveView#watchToken}). Any other answer than 200 refuses the
 *   handshake.</li>
 *   <li>{@code $disconnect}: the viewer is forgotten.</li>
 *   <li>{@code $default}: a message is one input event, checked as {@code POST /live/{taskId}/input} checks it
 *   ({@link LiveInputs}); refused for a watch-only viewer and once the link has expired. A refusal is answered on
 *   the socket as the API answers it ({@code {"error": {...}}}); an accepted event gets no answer.</li>
 * </ul>
 *
 * Deliberately not the Micronaut application: a viewer waits for this function's cold start before the first frame,
 * so it builds a DynamoDB client and the adapter, nothing else.
 */
public final class LiveSocketHandler
        implements RequestHandler<APIGatewayV2WebSocketEvent, APIGatewayV2WebSocketResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(LiveSocketHandler.class);

    private final ApiGatewayLiveView liveView;
    private final Clock clock;

    /** What Lambda calls: the {@code live} table from the function's environment. */
    public LiveSocketHandler() {
        this(AwsSettings.from(System.getenv()));
    }

    private LiveSocketHandler(AwsSettings settings) {
        this(new ApiGatewayLiveView(AwsClients.dynamoDb(settings, System.getenv()),
                new DynamoDbTables(settings.tablePrefix()).live(), null, null, Clock.systemUTC()),
                Clock.systemUTC());
    }

    /** For tests: an adapter of the caller's. */
    public LiveSocketHandler(ApiGatewayLiveView liveView, Clock clock) {
        this.liveView = liveView;
        this.clock = clock;
    }

    @Override
    public APIGatewayV2WebSocketResponse handleRequest(APIGatewayV2WebSocketEvent event, Context context) {
        APIGatewayV2WebSocketEvent.RequestContext request = event.getRequestContext();
        String connectionId = request.getConnectionId();
        try {
            return switch (request.getRouteKey()) {
                case "$connect" -> connect(connectionId, event.getQueryStringParameters());
                case "$disconnect" -> {
                    liveView.leave(connectionId);
                    yield answer(200, null);
                }
                default -> input(connectionId, event.getBody());
            };
        } catch (ApiException e) {
            return refusal(e);
        }
    }

    private APIGatewayV2WebSocketResponse connect(String connectionId, Map<String, String> query) {
        String taskId = query == null ? null : query.get("taskId");
        String token = query == null ? null : query.get("token");
        Optional<LiveView.Access> access = taskId == null ? Optional.empty()
                : liveView.access(taskId, token, clock.instant());
        if (access.isEmpty()) {
            throw notFound();
        }
        return switch (liveView.admit(taskId, connectionId, access.get())) {
            case ADMITTED -> {
                LOG.info("viewer {} of task {} connected ({})", connectionId, taskId,
                        access.get().act() ? "may act" : "watch-only");
                yield answer(200, null);
            }
            case CHANNEL_CLOSED -> throw notFound();
            case FULL -> throw new ApiException(429, "too_many_viewers",
                    "this live view has " + ApiGatewayLiveView.MAX_VIEWERS + " viewers already");
        };
    }

    private APIGatewayV2WebSocketResponse input(String connectionId, String body) {
        ApiGatewayLiveView.Viewer viewer = liveView.viewer(connectionId)
                .filter(v -> clock.instant().isBefore(v.expiresAt()))
                .orElseThrow(LiveSocketHandler::notFound);
        LiveInputs.send(liveView, viewer.taskId(), viewer.act(), body);
        return answer(200, null);
    }

    private static ApiException notFound() {
        return new ApiException(404, "live_view_not_found", "no open live view for this link");
    }

    private static APIGatewayV2WebSocketResponse refusal(ApiException e) {
        try {
            return answer(e.status(), Json.mapper().writeValueAsString(
                    ProductErrorFormat.body(e.status(), e.code(), e.getMessage(), e.details())));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static APIGatewayV2WebSocketResponse answer(int status, String body) {
        APIGatewayV2WebSocketResponse response = new APIGatewayV2WebSocketResponse();
        response.setStatusCode(status);
        response.setBody(body);
        return response;
    }
}
