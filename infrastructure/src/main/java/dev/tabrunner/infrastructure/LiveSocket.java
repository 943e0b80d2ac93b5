package dev.tabrunner.infrastructure;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.aws_apigatewayv2_integrations.WebSocketLambdaIntegration;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.apigatewayv2.WebSocketApi;
import software.amazon.awscdk.services.apigatewayv2.WebSocketRouteOptions;
import software.amazon.awscdk.services.apigatewayv2.WebSocketStage;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.constructs.Construct;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The live view's frames on AWS (docs/adr/0040-live-view-frames-on-aws.md): a WebSocket API whose three routes reach
 * one small function ({@code $connect} checks the link and records the viewer, {@code $disconnect} forgets it,
 * {@code $default} takes an input event and answers a refusal on the socket). The worker posts frames to the
 * viewers' connections through the stage's management endpoint, and only there; the API functions hand viewers
 * the stage's {@code wss://} URL.
 */
final class LiveSocket extends Construct {
    static final String HANDLER = "dev.tabrunner.aws.LiveSocketHandler::handleRequest";
    /** The worker's variable: the stage's {@code https://} callback URL, where frames are posted. */
    static final String ENDPOINT = "TABRUNNER_LIVE_SOCKET_ENDPOINT";
    /** The API functions' variable: the stage's public {@code wss://} URL. */
    static final String URL = "TABRUNNER_LIVE_SOCKET_URL";
    static final String STAGE = "live";
    /** A few DynamoDB calls per event. */
    private static final Duration TIMEOUT = Duration.seconds(10);
    private static final int MEMORY_MB = 512;

    private final WebSocketStage stage;

    /**
     * @param environment the functions' common environment (table prefix and so on)
     * @param throttle    the stage's limits: each viewer's input events are messages
     */
    LiveSocket(Construct scope, String id, DeploymentConfig config, Code apiCode, Map<String, String> environment,
               Tables tables, ILogGroup logs, ThrottleSettings throttle) {
        super(scope, id);
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("TABRUNNER_FUNCTION", "live-socket");
        Function function = Function.Builder.create(this, "Function")
                .functionName(config.functionPrefix() + "live-socket")
                .description("Tabrunner: the live view's WebSocket connections and input")
                .runtime(Runtime.JAVA_21)
                .architecture(config.architecture())
                .code(apiCode)
                .handler(HANDLER)
                .memorySize(MEMORY_MB)
                .timeout(TIMEOUT)
                // a viewer waits for a cold start before the first frame: restored from a snapshot, not started
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .logGroup(logs)
                .environment(env)
                .build();
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "the WebSocket API calls the version published through alias " + ApiStack.ALIAS);
        Alias alias = Alias.Builder.create(this, "Alias")
                .aliasName(ApiStack.ALIAS)
                .version(function.getCurrentVersion())
                .build();
        // the channel, its viewers and the viewers' connection items are in the live table
        tables.live().grantReadWriteData(function);

        WebSocketApi api = WebSocketApi.Builder.create(this, "Api")
                .apiName(config.functionPrefix() + "live")
                .description("Tabrunner live view: frames to viewers, their input back")
                .connectRouteOptions(route(alias, "Connect", false))
                .disconnectRouteOptions(route(alias, "Disconnect", false))
                // two-way: a refused input event is answered on the socket
                .defaultRouteOptions(route(alias, "Default", true))
                .build();
        stage = WebSocketStage.Builder.create(this, "Stage")
                .webSocketApi(api)
                .stageName(STAGE)
                .autoDeploy(true)
                .throttle(throttle)
                .build();
    }

    private static WebSocketRouteOptions route(Alias alias, String name, boolean returnResponse) {
        return WebSocketRouteOptions.builder()
                .integration(new WebSocketLambdaIntegration(name + "Integration", alias))
                .returnResponse(returnResponse)
                .build();
    }

    /** {@code https://…/live}: the management endpoint the worker posts to. */
    String managementEndpoint() {
        return stage.getCallbackUrl();
    }

    /** {@code wss://…/live}: what a viewer connects to. */
    String url() {
        return stage.getUrl();
    }

    /** {@code execute-api:ManageConnections} on this stage's connections only. */
    void grantPostToViewers(IGrantable poster) {
        stage.grantManagementApiAccess(poster);
    }
}
