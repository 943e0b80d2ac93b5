package dev.tabrunner.infrastructure;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.tabrunner.infrastructure.CfnTemplate.actions;
import static dev.tabrunner.infrastructure.CfnTemplate.joined;
import static dev.tabrunner.infrastructure.CfnTemplate.list;
import static dev.tabrunner.infrastructure.CfnTemplate.map;
import static dev.tabrunner.infrastructure.CfnTemplate.ref;
import static dev.tabrunner.infrastructure.CfnTemplate.resourcesOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live view's WebSocket API as synthesized (ADR 0040): its three routes to the socket function, the worker's
 * right to post to the stage's connections and nothing else, and the URLs the worker and the API functions get.
 */
class LiveSocketStackTest {
    @TempDir
    static Path workDirectory;

    private static Template template;
    private static CfnTemplate api;
    private static Map<String, String> functions;
    private static String webSocketApiId;

    @BeforeAll
    static void synthesize() {
        TabrunnerApp.Stacks stacks = TestApps.build(workDirectory, Map.of());
        template = Template.fromStack(stacks.api());
        api = new CfnTemplate(template);
        functions = api.functionsByName("tabrunner-");
        webSocketApiId = api.resources("AWS::ApiGatewayV2::Api").entrySet().stream()
                .filter(e -> "WEBSOCKET".equals(map(e.getValue().get("Properties")).get("ProtocolType")))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }

    /** Route key → the function its integration reaches, through the function's live alias. */
    private static Map<String, String> routes() {
        Map<String, String> routes = new TreeMap<>();
        api.resources("AWS::ApiGatewayV2::Route").values().stream().map(r -> map(r.get("Properties")))
                .filter(p -> webSocketApiId.equals(ref(p.get("ApiId"))))
                .forEach(p -> {
                    List<Object> target = list(list(map(p.get("Target")).get("Fn::Join")).get(1));
                    Map<String, Object> integration = api.properties(ref(target.get(1)));
                    assertThat(integration).containsEntry("IntegrationType", "AWS_PROXY");
                    String aliasId = aliasIn(integration.get("IntegrationUri"));
                    assertThat(api.properties(aliasId)).containsEntry("Name", "live");
                    String functionId = ref(api.properties(aliasId).get("FunctionName"));
                    routes.put(p.get("RouteKey").toString(), api.properties(functionId).get("FunctionName")
                            + (p.get("RouteResponseSelectionExpression") != null ? " 2-way" : ""));
                });
        return routes;
    }

    /** The alias in a WebSocket integration's URI ({@code arn:…:apigateway:…/functions/<alias>/invocations}). */
    private static String aliasIn(Object uri) {
        return list(list(map(uri).get("Fn::Join")).get(1)).stream().map(CfnTemplate::ref)
                .filter(id -> id != null && !id.startsWith("AWS::")
                        && api.resource(id).get("Type").equals("AWS::Lambda::Alias"))
                .findFirst().orElseThrow(() -> new AssertionError("no alias in " + uri));
    }

    @Test
    void theThreeRoutes_reachTheSocketFunction_andOnlyDefaultAnswersOnTheSocket() {
        assertThat(routes()).isEqualTo(Map.of(
                "$connect", "tabrunner-live-socket",
                "$disconnect", "tabrunner-live-socket",
                "$default", "tabrunner-live-socket 2-way"));
    }

    @Test
    void theSocketFunction_runsTheSharedJar_fromASnapshot_withTheTablesPrefix() {
        Map<String, Object> function = api.properties(functions.get("live-socket"));
        assertThat(function).containsEntry("Handler", "dev.tabrunner.aws.LiveSocketHandler::handleRequest")
                .containsEntry("Runtime", "java21")
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"));
        assertThat(api.environment(functions.get("live-socket")))
                .containsEntry("TABRUNNER_TABLE_PREFIX", "tabrunner-")
                .containsEntry("TABRUNNER_FUNCTION", "live-socket");
    }

    @Test
    void theSocketFunction_readsAndWritesTheLiveTable_only() {
        List<Map<String, Object>> dynamo = api.statementsOf(functions.get("live-socket")).stream()
                .filter(s -> actions(s).stream().anyMatch(a -> a.startsWith("dynamodb:"))).toList();
        assertThat(dynamo).isNotEmpty();
        assertThat(dynamo).flatExtracting(CfnTemplate::actions)
                .contains("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
        assertThat(dynamo).flatExtracting(s -> resourcesOf(s)).allSatisfy(resource ->
                assertThat(resource.toString()).contains("Live"));
        assertThat(api.actionsOf(functions.get("live-socket")))
                .noneMatch(a -> a.startsWith("s3:") || a.startsWith("secretsmanager:") || a.startsWith("lambda:")
                        || a.startsWith("execute-api:"));
    }

    @Test
    void onlyTheWorker_mayPostToConnections_andOnlyOnTheLiveStage() {
        functions.forEach((name, id) -> {
            List<Map<String, Object>> manage = api.statementsOf(id).stream()
                    .filter(s -> actions(s).contains("execute-api:ManageConnections")).toList();
            if (!name.equals("worker")) {
                assertThat(manage).as(name).isEmpty();
                return;
            }
            assertThat(manage).singleElement().satisfies(s -> {
                assertThat(actions(s)).containsExactly("execute-api:ManageConnections");
                assertThat(resourcesOf(s)).singleElement().satisfies(resource -> {
                    String arn = joined(resource);
                    assertThat(arn).startsWith("arn:{AWS::Partition}:execute-api:{AWS::Region}:{AWS::AccountId}:")
                            .contains("{" + webSocketApiId + "}/live/").endsWith("/@connections/*")
                            .doesNotContain("{" + webSocketApiId + "}/*");
                });
            });
        });
    }

    @Test
    void theWorker_getsTheManagementEndpoint_andTheTasksFunctions_thePublicUrl() {
        Object endpoint = api.environment(functions.get("worker")).get("TABRUNNER_LIVE_SOCKET_ENDPOINT");
        assertThat(joined(endpoint)).isEqualTo("https://{" + webSocketApiId + "}.execute-api.{AWS::Region}.{"
                + "AWS::URLSuffix}/live");
        for (String name : List.of("tasks", "browsing-sync")) {
            Object url = api.environment(functions.get(name)).get("TABRUNNER_LIVE_SOCKET_URL");
            assertThat(joined(url)).as(name).isEqualTo("wss://{" + webSocketApiId + "}.execute-api.{AWS::Region}.{"
                    + "AWS::URLSuffix}/live");
        }
        functions.forEach((name, id) -> {
            if (!name.equals("worker")) {
                assertThat(api.environment(id)).as(name).doesNotContainKey("TABRUNNER_LIVE_SOCKET_ENDPOINT");
            }
            if (!List.of("tasks", "browsing-sync").contains(name)) {
                assertThat(api.environment(id)).as(name).doesNotContainKey("TABRUNNER_LIVE_SOCKET_URL");
            }
        });
    }

    @Test
    void theStage_isThrottledLikeTheHttpApi_andDeploysItself() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                "StageName", "live",
                "AutoDeploy", true,
                "ApiId", Map.of("Ref", webSocketApiId),
                "DefaultRouteSettings", Map.of("ThrottlingRateLimit", 50, "ThrottlingBurstLimit", 100)));
        template.hasOutput("LiveSocketUrl", Match.anyValue());
    }
}
