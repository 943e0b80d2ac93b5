package dev.tabrunner.infrastructure;

import static dev.tabrunner.infrastructure.CfnTemplate.actions;
import static dev.tabrunner.infrastructure.CfnTemplate.getAtt;
import static dev.tabrunner.infrastructure.CfnTemplate.joined;
import static dev.tabrunner.infrastructure.CfnTemplate.list;
import static dev.tabrunner.infrastructure.CfnTemplate.map;
import static dev.tabrunner.infrastructure.CfnTemplate.ref;
import static dev.tabrunner.infrastructure.CfnTemplate.resourcesOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The API stack as synthesized with cdk.json's defaults: routes, functions, least-privilege IAM, dispatch path.
 * One synth for the whole class: starting jsii and synthesizing is the expensive part.
 */
class ApiStackTest {

    /** The contract with the API module, written out here independently of {@link ApiRoutes#ROUTES}. */
    private static final Map<String, String> EXPECTED_ROUTES = expectedRoutes();

    private static final List<String> API_FUNCTIONS = List.of("sessions", "tasks", "credentials");
    private static final String SECRET_ARN =
            "arn:{AWS::Partition}:secretsmanager:{AWS::Region}:{AWS::AccountId}:secret:";
    /** Every secret of the vault: credentials' and agent tasks'. */
    private static final String VAULT = SECRET_ARN + "tabrunner/*";
    /** Agent tasks' secrets only, {@code <secretPrefix><tenantId>/task-<taskId>}. */
    private static final String TASK_SECRETS = SECRET_ARN + "tabrunner/*/task-*";
    /** Webhooks' signing secrets, {@code <secretPrefix><tenantId>/webhook-<id>}. */
    private static final String WEBHOOK_SECRETS = SECRET_ARN + "tabrunner/*/webhook-*";

    @TempDir
    static Path workDirectory;

    private static TabrunnerApp.Stacks stacks;
    private static Template template;
    private static CfnTemplate api;
    private static CfnTemplate data;
    /** Logical ids by function name without the prefix: the API functions, browsing-sync, worker, recovery, ... */
    private static Map<String, String> functions;

    @BeforeAll
    static void synthesize() {
        stacks = TestApps.build(workDirectory, Map.of());
        template = Template.fromStack(stacks.api());
        api = new CfnTemplate(template);
        data = new CfnTemplate(Template.fromStack(stacks.data()));
        functions = api.functionsByName("tabrunner-");
    }

    // ---- routes ------------------------------------------------------------------------------------------------

    @Test
    void everyRoute_reachesTheFunctionServingIt_throughItsLiveAlias() {
        Map<String, String> actual = new TreeMap<>();
        httpRoutes().forEach(route -> {
            Map<String, Object> properties = map(route.get("Properties"));
            String integrationId = integrationOf(properties.get("Target"));
            Map<String, Object> integration = api.properties(integrationId);
            assertThat(integration).containsEntry("IntegrationType", "AWS_PROXY")
                    .containsEntry("PayloadFormatVersion", "2.0");
            String aliasId = ref(integration.get("IntegrationUri"));
            Map<String, Object> alias = api.properties(aliasId);
            assertThat(alias).containsEntry("Name", "live");
            String functionId = ref(alias.get("FunctionName"));
            actual.put(properties.get("RouteKey").toString(),
                    api.environment(functionId).get("TABRUNNER_FUNCTION").toString());
        });

        assertThat(actual).isEqualTo(new TreeMap<>(EXPECTED_ROUTES));
    }

    @Test
    void browsingAndV2Dialects_reachTheTasksFunction_withEveryMethod() {
        Map<String, String> routes = new TreeMap<>();
        httpRoutes().forEach(route -> {
            Map<String, Object> properties = map(route.get("Properties"));
            String aliasId = ref(api.properties(integrationOf(properties.get("Target"))).get("IntegrationUri"));
            routes.put(properties.get("RouteKey").toString(),
                    api.properties(ref(api.properties(aliasId).get("FunctionName"))).get("FunctionName").toString());
        });

        assertThat(routes)
                .containsEntry("ANY /api/v1/browsing/{proxy+}", "tabrunner-tasks")
                .containsEntry("ANY /api/v2/{proxy+}", "tabrunner-tasks");
    }

    @Test
    void apiAliases_pointAtAPublishedVersion_soSnapStartIsUsed() {
        for (String name : API_FUNCTIONS) {
            String functionId = functions.get(name);
            Map<String, Object> alias = api.resources("AWS::Lambda::Alias").values().stream()
                    .map(resource -> map(resource.get("Properties")))
                    .filter(properties -> functionId.equals(ref(properties.get("FunctionName"))))
                    .findFirst()
                    .orElseThrow();
            String versionId = getAtt(alias.get("FunctionVersion"));
            assertThat(api.resource(versionId)).containsEntry("Type", "AWS::Lambda::Version");
            assertThat(ref(api.properties(versionId).get("FunctionName"))).isEqualTo(functionId);
        }
    }

    @Test
    void apiGateway_mayInvokeOnlyTheAliases_andOnlyForTheirRoutes() {
        Set<String> aliases = api.resources("AWS::Lambda::Alias").keySet();
        Map<String, Map<String, Object>> permissions = api.resources("AWS::Lambda::Permission");
        assertThat(permissions).isNotEmpty();
        permissions.values().forEach(permission -> {
            Map<String, Object> properties = map(permission.get("Properties"));
            if ("apigateway.amazonaws.com".equals(properties.get("Principal"))) {
                assertThat(aliases).contains(ref(properties.get("FunctionName")));
                assertThat(properties.get("SourceArn").toString()).doesNotEndWith("/*/*/*");
            }
        });
    }

    @Test
    void stage_isTheDefaultStage_throttled_withAccessLogs() {
        template.hasResourceProperties("AWS::ApiGatewayV2::Stage", Map.of(
                "StageName", "$default",
                "AutoDeploy", true,
                "DefaultRouteSettings", Map.of("ThrottlingRateLimit", 50, "ThrottlingBurstLimit", 100)));
        Map<String, Object> stage = api.resources("AWS::ApiGatewayV2::Stage").values().stream()
                .filter(s -> "$default".equals(map(s.get("Properties")).get("StageName"))).findFirst().orElseThrow();
        Object destination = map(map(stage.get("Properties")).get("AccessLogSettings")).get("DestinationArn");
        assertThat(api.properties(getAtt(destination))).containsEntry("RetentionInDays", 30);
        assertThat(api.outputs()).containsKey("ApiUrl");
    }

    // ---- functions ---------------------------------------------------------------------------------------------

    @Test
    void apiFunctions_runTheSharedJar_withSnapStart_andTheirSliceOfTheApp() {
        assertThat(functions).containsOnlyKeys("sessions", "tasks", "credentials", "worker", "dead-letter",
                "recovery", "browsing-sync", "webhooks", "live-socket");
        assertThat(api.properties(functions.get("dead-letter")))
                .containsEntry("Handler", "dev.tabrunner.aws.DeadLetterHandler::handleRequest");
        for (String name : API_FUNCTIONS) {
            Map<String, Object> properties = api.properties(functions.get(name));
            assertThat(properties)
                    .containsEntry("Handler", "dev.tabrunner.aws.ApiHandler")
                    .containsEntry("Runtime", "java21")
                    .containsEntry("Architectures", List.of("x86_64"))
                    .containsEntry("MemorySize", 1024)
                    .containsEntry("Timeout", 30)
                    .containsEntry("FunctionName", "tabrunner-" + name)
                    .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"));
            assertThat(map(properties.get("Code")).get("S3Key").toString()).endsWith(".jar");
            assertThat(api.environment(functions.get(name)))
                    .containsEntry("TABRUNNER_FUNCTION", name)
                    .containsEntry("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        }
    }

    @Test
    void everyFunction_getsTheNamesItNeeds_asEnvironmentVariables() {
        for (String id : functions.values()) {
            Map<String, Object> environment = api.environment(id);
            assertThat(environment)
                    .containsEntry("TABRUNNER_TABLE_PREFIX", "tabrunner-")
                    .containsEntry("TABRUNNER_SECRET_PREFIX", "tabrunner/")
                    .containsEntry("TABRUNNER_WORKER_FUNCTION", "tabrunner-worker")
                    .containsEntry("TABRUNNER_SYNC_WAIT_MS", "25000")
                    .containsEntry("TABRUNNER_AGENT_SYNC_WAIT_MS", "25000")
                    // Every function judges a worker's lease, and when a task is lost, the same way.
                    .containsEntry("TABRUNNER_LEASE_MS", "60000")
                    .containsEntry("TABRUNNER_MAX_ATTEMPTS", "3")
                    .containsKeys("TABRUNNER_BUCKET", "TABRUNNER_KMS_KEY_ID");
            assertThat(dataResourceOf(environment.get("TABRUNNER_BUCKET"))).startsWith("Artifacts");
            assertThat(dataResourceOf(environment.get("TABRUNNER_KMS_KEY_ID"))).startsWith("Key");
        }
    }

    @Test
    void apiFunctions_getTheTenantLimits_withTheirDefaults() {
        for (String name : API_FUNCTIONS) {
            assertThat(api.environment(functions.get(name))).as(name)
                    .containsEntry("TABRUNNER_TENANT_RPS", "50")
                    .containsEntry("TABRUNNER_TENANT_MAX_SESSIONS", "50")
                    .containsEntry("TABRUNNER_TENANT_MAX_TASKS", "20");
        }
    }

    @Test
    void onlyTheWorkerAndTheWebhookFunction_getTheEgressAllowList_emptyByDefault() {
        functions.forEach((name, id) -> {
            if (name.equals("worker") || name.equals("webhooks")) {
                assertThat(api.environment(id)).containsEntry("TABRUNNER_EGRESS_ALLOW", "");
            } else {
                assertThat(api.environment(id)).as(name).doesNotContainKey("TABRUNNER_EGRESS_ALLOW");
            }
        });
    }

    @Test
    void withoutAProvider_noFunctionGetsLanguageModelSettings_andNoneMayInvokeBedrock() {
        functions.forEach((name, id) -> {
            assertThat(api.environment(id).keySet()).as(name).noneMatch(key -> key.startsWith("TABRUNNER_LLM_"));
            assertThat(api.actionsOf(id)).as(name).noneMatch(action -> action.startsWith("bedrock:"));
        });
        assertThat(api.allIdentityStatements()).flatExtracting(CfnTemplate::actions)
                .noneMatch(action -> action.startsWith("bedrock:"));
    }

    @Test
    void worker_isTheImage_withMemoryTimeoutAndDiskForChromium_andNoSnapStart() {
        Map<String, Object> worker = api.properties(functions.get("worker"));
        assertThat(worker)
                .containsEntry("PackageType", "Image")
                .containsEntry("FunctionName", "tabrunner-worker")
                .containsEntry("MemorySize", 3008)
                .containsEntry("Timeout", 900)
                .containsEntry("EphemeralStorage", Map.of("Size", 2048))
                .containsEntry("ImageConfig",
                        Map.of("Command", List.of("dev.tabrunner.aws.WorkerHandler::handleRequest")))
                .containsEntry("RecursiveLoop", "Allow")
                .doesNotContainKeys("SnapStart", "Handler");
    }

    @Test
    void worker_isCappedAtFiftyConcurrentInvocations_byDefault_andNoOtherFunctionReservesAny() {
        // 15-minute workers would otherwise take the account's pool (1,000 by default) from the API functions.
        functions.forEach((name, id) -> {
            if (name.equals("worker")) {
                assertThat(api.properties(id)).containsEntry("ReservedConcurrentExecutions", 50);
            } else {
                assertThat(api.properties(id)).as(name).doesNotContainKey("ReservedConcurrentExecutions");
            }
        });
    }

    @Test
    void everyFunction_logsToItsOwnGroup_keptThirtyDays() {
        Set<String> groups = new TreeSet<>();
        for (String id : functions.values()) {
            assertThat(api.properties(id)).as(id).containsKey("LoggingConfig");
            String group = ref(map(api.properties(id).get("LoggingConfig")).get("LogGroup"));
            assertThat(api.resource(group)).containsEntry("Type", "AWS::Logs::LogGroup");
            assertThat(api.properties(group)).containsEntry("RetentionInDays", 30);
            groups.add(group);
        }
        assertThat(groups).hasSameSizeAs(functions.values());
    }

    // ---- browsing sync (function URL) --------------------------------------------------------------------------

    @Test
    void browsingSync_runsTheTasksSlice_withItsCodeEnvironmentAndRole_forElevenMinutes() {
        Map<String, Object> sync = api.properties(functions.get("browsing-sync"));
        Map<String, Object> tasks = api.properties(functions.get("tasks"));

        assertThat(sync)
                .containsEntry("Handler", "dev.tabrunner.aws.ApiHandler")
                .containsEntry("Runtime", "java21")
                .containsEntry("MemorySize", 1024)
                // The dialect's sync waits up to 10 minutes; the HTTP API would cut it at 30 s.
                .containsEntry("Timeout", 660)
                .containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"));
        assertThat(sync.get("Code")).isEqualTo(tasks.get("Code"));
        assertThat(api.environment(functions.get("browsing-sync")))
                .isEqualTo(api.environment(functions.get("tasks")))
                .containsEntry("TABRUNNER_FUNCTION", "tasks");
        // One role: whatever a tasks route may do, it may do through the URL, and nothing more.
        assertThat(getAtt(sync.get("Role"))).isEqualTo(getAtt(tasks.get("Role")));
        assertThat(api.properties(functions.get("tasks"))).containsEntry("Timeout", 30);
    }

    @Test
    void browsingSync_isServedByAFunctionUrl_onItsLiveAlias_withTheAppCheckingTheKey() {
        String urlId = onlyResourceOf("AWS::Lambda::Url");
        Map<String, Object> url = api.properties(urlId);
        assertThat(url)
                .containsEntry("AuthType", "NONE")
                .containsEntry("InvokeMode", "BUFFERED")
                .containsEntry("Qualifier", "live")
                .doesNotContainKey("Cors");
        assertThat(getAtt(url.get("TargetFunctionArn"))).isEqualTo(functions.get("browsing-sync"));

        Map<String, Object> output = map(api.outputs().get("BrowsingSyncUrl"));
        assertThat(getAtt(output.get("Value"))).isEqualTo(urlId);
        assertThat(list(map(output.get("Value")).get("Fn::GetAtt")).get(1)).isEqualTo("FunctionUrl");
    }

    @Test
    void onlyTheFunctionUrl_isOpenToAnyone_andOnlyThroughTheUrl() {
        String syncAlias = aliasOf(functions.get("browsing-sync"));
        List<Map<String, Object>> open = api.resources("AWS::Lambda::Permission").values().stream()
                .map(permission -> map(permission.get("Properties")))
                .filter(properties -> "*".equals(properties.get("Principal")))
                .toList();

        assertThat(open).isNotEmpty().allSatisfy(permission -> {
            assertThat(ref(permission.get("FunctionName"))).isEqualTo(syncAlias);
            // Invoke, for anyone, only as a request through the function URL (never the Invoke API).
            if ("lambda:InvokeFunction".equals(permission.get("Action"))) {
                assertThat(permission).containsEntry("InvokedViaFunctionUrl", true);
            } else {
                assertThat(permission).containsEntry("Action", "lambda:InvokeFunctionUrl")
                        .containsEntry("FunctionUrlAuthType", "NONE");
            }
        });
    }

    // ---- dispatch and dead letters -----------------------------------------------------------------------------

    @Test
    void failedWorkerInvocations_retryTwice_thenReachTheQueueTheDeadLetterFunctionConsumes() {
        Map<String, Object> properties = asyncInvokeConfigOf("worker");
        assertThat(properties).containsEntry("MaximumRetryAttempts", 2).containsEntry("Qualifier", "$LATEST");
        String queueId = getAtt(map(map(properties.get("DestinationConfig")).get("OnFailure")).get("Destination"));
        assertThat(api.resource(queueId)).containsEntry("Type", "AWS::SQS::Queue");

        Map<String, Object> mapping = api.resources("AWS::Lambda::EventSourceMapping").values().stream()
                .map(m -> map(m.get("Properties")))
                .filter(m -> functions.get("dead-letter").equals(ref(m.get("FunctionName"))))
                .findFirst().orElseThrow();
        assertThat(getAtt(mapping.get("EventSourceArn"))).isEqualTo(queueId);
        assertThat(ref(mapping.get("FunctionName"))).isEqualTo(functions.get("dead-letter"));
        assertThat(mapping).containsEntry("BatchSize", 1);

        assertThat(api.properties(functions.get("dead-letter")))
                .containsEntry("Handler", "dev.tabrunner.aws.DeadLetterHandler::handleRequest")
                .containsEntry("Runtime", "java21");
        // A visibility timeout shorter than the consumer's timeout would hand a message out twice at once.
        int visibility = ((Number) api.properties(queueId).get("VisibilityTimeout")).intValue();
        int consumerTimeout = ((Number) api.properties(functions.get("dead-letter")).get("Timeout")).intValue();
        assertThat(visibility).isGreaterThanOrEqualTo(6 * consumerTimeout);
        assertThat(api.properties(queueId)).containsKey("RedrivePolicy");
        assertThat(api.actionsOf(functions.get("worker"))).contains("sqs:SendMessage");
    }

    // ---- recovery ----------------------------------------------------------------------------------------------

    @Test
    void recovery_runsTheSharedJar_small_withItsOwnHandler() {
        Map<String, Object> recovery = api.properties(functions.get("recovery"));
        assertThat(recovery)
                .containsEntry("Handler", "dev.tabrunner.aws.RecoveryHandler::handleRequest")
                .containsEntry("Runtime", "java21")
                .containsEntry("Architectures", List.of("x86_64"))
                .containsEntry("FunctionName", "tabrunner-recovery")
                .containsEntry("MemorySize", 512)
                .containsEntry("Timeout", 60)
                .doesNotContainKeys("SnapStart", "ReservedConcurrentExecutions");
        // The very jar the API functions run, not a copy uploaded as another asset.
        assertThat(recovery.get("Code")).isEqualTo(api.properties(functions.get("sessions")).get("Code"));
        assertThat(api.environment(functions.get("recovery"))).containsEntry("TABRUNNER_FUNCTION", "recovery");
    }

    @Test
    void recoveryRule_invokesTheRecoveryFunction_everyMinute() {
        String ruleId = onlyResourceOf("AWS::Events::Rule");
        Map<String, Object> rule = api.properties(ruleId);
        assertThat(rule).containsEntry("ScheduleExpression", "rate(1 minute)").containsEntry("State", "ENABLED");
        List<Object> targets = list(rule.get("Targets"));
        assertThat(targets).hasSize(1);
        Map<String, Object> target = map(targets.get(0));
        assertThat(getAtt(target.get("Arn"))).isEqualTo(functions.get("recovery"));
        // A sweep EventBridge could not deliver is given up by the next tick rather than retried for a day.
        assertThat(target.get("RetryPolicy")).isEqualTo(Map.of(
                "MaximumEventAgeInSeconds", 60, "MaximumRetryAttempts", 2));

        // The rule, and only the rule, may invoke the function.
        List<Map<String, Object>> permissions = api.resources("AWS::Lambda::Permission").values().stream()
                .map(permission -> map(permission.get("Properties")))
                .filter(properties -> functions.get("recovery").equals(getAtt(properties.get("FunctionName"))))
                .toList();
        assertThat(permissions).singleElement().satisfies(permission -> {
            assertThat(permission).containsEntry("Principal", "events.amazonaws.com")
                    .containsEntry("Action", "lambda:InvokeFunction");
            assertThat(getAtt(permission.get("SourceArn"))).isEqualTo(ruleId);
        });
    }

    @Test
    void aFailedSweep_isNotRetried_theNextTickRunsAgain() {
        assertThat(asyncInvokeConfigOf("recovery"))
                .containsEntry("MaximumRetryAttempts", 0)
                .containsEntry("MaximumEventAgeInSeconds", 60)
                .doesNotContainKey("DestinationConfig");
    }

    @Test
    void recovery_mayQueryTheTaskAndSessionIndexes() {
        Set<String> indexed = new TreeSet<>();
        api.statementsOf(functions.get("recovery")).stream()
                .filter(statement -> actions(statement).contains("dynamodb:Query"))
                .flatMap(statement -> resourcesOf(statement).stream())
                .filter(resource -> map(resource).containsKey("Fn::Join"))
                .filter(resource -> joinedTail(resource).equals("/index/*"))
                .forEach(resource -> indexed.add(tableName(dataResourceOf(resource))));
        assertThat(indexed).containsExactlyInAnyOrder("tasks", "sessions");
    }

    @Test
    void onlyTheTasksAndRecoveryFunctions_andTheWorkerItself_mayInvokeTheWorker() {
        assertThat(api.actionsOf(functions.get("tasks"))).contains("lambda:InvokeFunction");
        assertThat(invokeTargets(functions.get("tasks"))).containsExactly("worker");
        assertThat(invokeTargets(functions.get("worker"))).containsExactly("worker");
        // Recovery re-dispatches abandoned tasks; the dead-letter function, having failed a task, dispatches the
        // session's next waiting task as any task's end does.
        assertThat(invokeTargets(functions.get("recovery"))).containsExactly("worker");
        assertThat(invokeTargets(functions.get("dead-letter"))).containsExactly("worker");
        for (String name : List.of("sessions", "credentials")) {
            assertThat(api.actionsOf(functions.get(name))).as(name).doesNotContain("lambda:InvokeFunction");
        }
    }

    // ---- secrets -----------------------------------------------------------------------------------------------

    @Test
    void noStatement_grantsAllOfSecretsManager_orASecretsActionOnEveryResource() {
        List<Map<String, Object>> statements = new ArrayList<>(api.allIdentityStatements());
        statements.addAll(data.allIdentityStatements());
        assertThat(statements).isNotEmpty();
        for (Map<String, Object> statement : statements) {
            List<String> actions = actions(statement);
            assertThat(actions).doesNotContain("secretsmanager:*", "*");
            boolean secrets = actions.stream().anyMatch(action -> action.startsWith("secretsmanager:"));
            if (secrets) {
                assertThat(resourcesOf(statement)).as("resources of %s", actions).doesNotContain("*");
            }
        }
    }

    @Test
    void secretsStatements_coverOnlyTheVaultPrefix() {
        for (String name : List.of("worker", "credentials", "tasks")) {
            List<Map<String, Object>> statements = secretsStatements(name);
            assertThat(statements).as(name).isNotEmpty();
            statements.forEach(statement -> assertThat(resourcesOf(statement)).singleElement()
                    .satisfies(resource -> assertThat(joined(resource)).startsWith(SECRET_ARN + "tabrunner/")));
        }
    }

    @Test
    void onlyTheWorker_readsSecretValues_andTheWebhookFunctionOnlyWebhookSecrets() {
        functions.forEach((name, id) -> {
            boolean reads = api.actionsOf(id).contains("secretsmanager:GetSecretValue")
                    || api.actionsOf(id).contains("secretsmanager:BatchGetSecretValue");
            assertThat(reads).as(name).isEqualTo(name.equals("worker") || name.equals("webhooks"));
        });
        assertThat(secretsActionsOn("worker", VAULT)).containsExactly("secretsmanager:GetSecretValue");
        assertThat(secretsStatements("webhooks")).allSatisfy(statement -> assertThat(resourcesOf(statement))
                .map(CfnTemplate::joined).containsExactly(WEBHOOK_SECRETS));
        assertThat(api.actionsOf(functions.get("worker"))).contains("kms:Decrypt");
    }

    @Test
    void onlyTheCredentialsFunction_writesCredentialsSecrets() {
        assertThat(secretsActions("credentials")).containsExactlyInAnyOrder(
                "secretsmanager:CreateSecret", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret",
                "secretsmanager:DeleteSecret", "secretsmanager:DescribeSecret", "secretsmanager:TagResource");
        assertThat(api.actionsOf(functions.get("credentials"))).contains("kms:GenerateDataKey*", "kms:Encrypt");
        assertThat(secretsActions("recovery")).isEmpty();
        // the sessions function registers webhooks, whose signing secrets only it writes
        assertThat(secretsStatements("sessions")).isNotEmpty().allSatisfy(statement -> assertThat(
                resourcesOf(statement)).map(CfnTemplate::joined).containsExactly(WEBHOOK_SECRETS));
        // the dead-letter function discards the secrets of the task it failed, as the worker does at any end
        assertThat(secretsActions("dead-letter")).containsExactly("secretsmanager:DeleteSecret");
        for (String name : List.of("tasks", "worker", "dead-letter")) {
            assertThat(secretsStatements(name)).as(name).noneSatisfy(statement -> {
                assertThat(actions(statement)).containsAnyOf("secretsmanager:CreateSecret",
                        "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret");
                assertThat(resourcesOf(statement)).map(CfnTemplate::joined).contains(VAULT);
            });
        }
    }

    @Test
    void tasksFunction_sealsAndDiscardsAgentTaskSecrets_onlyUnderTheTaskPattern() {
        assertThat(secretsStatements("tasks")).singleElement().satisfies(statement -> {
            assertThat(actions(statement)).containsExactlyInAnyOrder(
                    "secretsmanager:CreateSecret", "secretsmanager:PutSecretValue", "secretsmanager:DeleteSecret",
                    "secretsmanager:DescribeSecret", "secretsmanager:TagResource");
            assertThat(resourcesOf(statement)).map(CfnTemplate::joined).containsExactly(TASK_SECRETS);
        });
        // Secrets Manager generates and encrypts the value's data key with the vault's key as the caller.
        assertThat(keyActions("tasks")).contains("kms:GenerateDataKey*", "kms:Encrypt", "kms:Decrypt");
    }

    @Test
    void worker_discardsAgentTaskSecrets_onlyUnderTheTaskPattern() {
        assertThat(secretsStatements("worker").stream()
                .filter(statement -> actions(statement).contains("secretsmanager:DeleteSecret")))
                .singleElement().satisfies(statement -> {
                    assertThat(actions(statement)).containsExactly("secretsmanager:DeleteSecret");
                    assertThat(resourcesOf(statement)).map(CfnTemplate::joined).containsExactly(TASK_SECRETS);
                });
        assertThat(secretsActions("worker")).containsExactlyInAnyOrder(
                "secretsmanager:GetSecretValue", "secretsmanager:DeleteSecret");
    }

    @Test
    void tasksFunction_cannotReadSecretValues_norTouchCredentialsSecrets() {
        // Real ARNs as Secrets Manager makes them: the name, a dash and six random characters.
        String taskSecret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:tabrunner/acme/task-7Hq2x-AbC123";
        String credential = "arn:aws:secretsmanager:us-east-1:111122223333:secret:"
                + "tabrunner/acme/0b7e4f0e-9c1d-4c55-8a39-2f6c9d3e1a20-AbC123";
        String modelKey = "arn:aws:secretsmanager:us-east-1:111122223333:secret:"
                + "tabrunner/default/5d0c3b9e-1f7a-4e2b-9a44-6c1d2e3f4a5b-XyZ789";

        List<Map<String, Object>> statements = secretsStatements("tasks");
        assertThat(statements).flatExtracting(CfnTemplate::actions)
                .doesNotContain("secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue",
                        "secretsmanager:UpdateSecret", "secretsmanager:*");
        assertThat(statements).anySatisfy(statement -> assertThat(allows(statement, taskSecret)).isTrue());
        assertThat(statements).noneSatisfy(statement -> assertThat(allows(statement, credential)).isTrue());
        assertThat(statements).noneSatisfy(statement -> assertThat(allows(statement, modelKey)).isTrue());
        // The worker's discarding is as narrow.
        secretsStatements("worker").stream()
                .filter(statement -> actions(statement).contains("secretsmanager:DeleteSecret"))
                .forEach(statement -> assertThat(allows(statement, credential)).isFalse());
    }

    // ---- tables and bucket -------------------------------------------------------------------------------------

    @Test
    void eachFunction_reachesOnlyTheTablesItsRoutesNeed() {
        // tenants: the per-tenant sets the session and task limits are conditions on, written with the sessions and
        // tasks themselves
        // webhooks: registered by the sessions function, read by every function that writes tasks (to queue the
        // tenant's deliveries) and by the webhook function
        assertThat(tableAccess("sessions")).isEqualTo(Map.of(
                "sessions", "rw", "files", "rw", "api-keys", "rw", "tasks", "r", "idempotency", "rw",
                "rate-limits", "rw", "tenants", "rw", "webhooks", "rw"));
        assertThat(tableAccess("tasks")).isEqualTo(Map.of(
                "tasks", "rw", "sessions", "rw", "files", "rw", "idempotency", "rw", "rate-limits", "rw",
                "live", "rw", "api-keys", "r", "tenants", "rw", "webhooks", "r"));
        assertThat(tableAccess("credentials")).isEqualTo(Map.of(
                "credentials", "rw", "api-keys", "r", "idempotency", "rw", "rate-limits", "rw"));
        assertThat(tableAccess("worker")).isEqualTo(Map.of(
                "tasks", "rw", "sessions", "rw", "files", "rw", "live", "rw", "credentials", "r", "tenants", "rw",
                "webhooks", "r"));
        // the dead-letter function ends the task it fails as any end does: the session's turn, a session of its own
        assertThat(tableAccess("dead-letter")).isEqualTo(Map.of("tasks", "rw", "sessions", "rw", "tenants", "rw",
                "webhooks", "r"));
        assertThat(tableAccess("recovery")).isEqualTo(Map.of("tasks", "rw", "sessions", "rw", "tenants", "rw",
                "webhooks", "r"));
        assertThat(tableAccess("webhooks")).isEqualTo(Map.of("webhooks", "r"));
        // the live view's socket function: channels, their viewers and the viewers' connections
        assertThat(tableAccess("live-socket")).isEqualTo(Map.of("live", "rw"));
    }

    @Test
    void theBucket_isReadAndWrittenBy_sessionsTasksAndWorker_andCredentialsOnlyUnderIdempotency() {
        // a task's large parts (results, network log, steps) are in the bucket: whoever writes tasks writes them
        for (String name : List.of("sessions", "tasks", "worker", "dead-letter")) {
            assertThat(objectResources(name)).as(name).containsExactly("<bucket>/*");
        }
        // Large idempotent responses of the credentials routes; nothing else of the bucket.
        assertThat(objectResources("credentials")).containsExactly("<bucket>/idempotency/*");
        assertThat(api.actionsOf(functions.get("credentials"))).contains("s3:PutObject", "s3:GetObject*");
        // recovery only reads tasks (their large parts too)
        assertThat(api.actionsOf(functions.get("recovery"))).contains("s3:GetObject*");
        assertThat(api.actionsOf(functions.get("recovery")).stream().filter(action -> action.startsWith("s3:")))
                .noneMatch(action -> action.startsWith("s3:Put") || action.startsWith("s3:Delete"));
    }

    @Test
    void synth_reportsNoWarningsOrErrors() {
        Annotations annotations = Annotations.fromStack(stacks.api());
        annotations.hasNoWarning("*", Match.anyValue());
        annotations.hasNoError("*", Match.anyValue());
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static Map<String, String> expectedRoutes() {
        Map<String, String> routes = new LinkedHashMap<>();
        for (String route : List.of(
                "POST /browser/sessions", "GET /browser/sessions", "GET /browser/sessions/{sessionId}",
                "DELETE /browser/sessions/{sessionId}", "POST /browser/sessions/{sessionId}/files",
                "GET /browser/sessions/{sessionId}/files", "POST /browser/environments", "GET /browser/environments",
                "GET /browser/environments/{environmentId}", "DELETE /browser/environments/{environmentId}",
                "POST /admin/api-keys", "GET /admin/api-keys", "DELETE /admin/api-keys/{id}",
                "POST /admin/webhooks", "GET /admin/webhooks", "DELETE /admin/webhooks/{id}", "GET /browser/tasks",
                "GET /health", "GET /openapi.json", "GET /openapi.yaml", "GET /docs", "GET /docs/assets/{name}",
                "GET /ui", "GET /ui/{name}")) {
            routes.put(route, "sessions");
        }
        for (String route : List.of(
                "POST /browser/sessions/{sessionId}/tasks", "GET /browser/sessions/{sessionId}/tasks",
                "POST /browser/sessions/{sessionId}/send-message",
                "GET /browser/sessions/{sessionId}/tasks/{taskId}",
                "POST /browser/sessions/{sessionId}/tasks/{taskId}/{action}",
                "GET /browser/sessions/{sessionId}/tasks/{taskId}/artifacts/{artifactId}",
                "GET /browser/sessions/{sessionId}/tasks/{taskId}/recording", "GET /replay/{taskId}",
                "GET /replay/{taskId}/{name}",
                "POST /browser/sessions/{sessionId}/pdf", "POST /browser/run-task", "GET /live/{taskId}",
                "GET /live/{taskId}/frame", "POST /live/{taskId}/input", "GET /live/{taskId}/frames",
                "GET /live/{taskId}/status", "POST /browser/sessions/{sessionId}/live-view",
                "POST /browser/sessions/{sessionId}/connect", "ANY /api/v1/{proxy+}",
                "ANY /api/v1/browsing/{proxy+}", "ANY /api/v2/{proxy+}",
                "GET /share/{taskId}", "GET /share/{taskId}/{proxy+}")) {
            routes.put(route, "tasks");
        }
        for (String route : List.of(
                "POST /browser/credentials", "GET /browser/credentials", "GET /browser/credentials/{id}",
                "PUT /browser/credentials/{id}", "PATCH /browser/credentials/{id}",
                "DELETE /browser/credentials/{id}")) {
            routes.put(route, "credentials");
        }
        return routes;
    }

    /** The HTTP API's routes (the live view's WebSocket API has its own: LiveSocketStackTest). */
    private static List<Map<String, Object>> httpRoutes() {
        String httpApi = api.resources("AWS::ApiGatewayV2::Api").entrySet().stream()
                .filter(e -> "HTTP".equals(map(e.getValue().get("Properties")).get("ProtocolType")))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        return api.resources("AWS::ApiGatewayV2::Route").values().stream()
                .filter(route -> httpApi.equals(ref(map(route.get("Properties")).get("ApiId")))).toList();
    }

    /** The logical id of the template's one resource of {@code type}. */
    private static String onlyResourceOf(String type) {
        Map<String, Map<String, Object>> resources = api.resources(type);
        assertThat(resources).as(type).hasSize(1);
        return resources.keySet().iterator().next();
    }

    private static Map<String, Object> asyncInvokeConfigOf(String function) {
        List<Map<String, Object>> configs = api.resources("AWS::Lambda::EventInvokeConfig").values().stream()
                .map(config -> map(config.get("Properties")))
                .filter(properties -> functions.get(function).equals(ref(properties.get("FunctionName"))))
                .toList();
        assertThat(configs).as(function).hasSize(1);
        return configs.get(0);
    }

    /**
     * The object ARNs ({@code <bucket>/…}) on which the function may put objects; the bucket's ARN shows as
     * {@code <bucket>}.
     */
    private static Set<String> objectResources(String function) {
        Set<String> resources = new TreeSet<>();
        api.statementsOf(functions.get(function)).stream()
                .filter(statement -> actions(statement).contains("s3:PutObject"))
                .flatMap(statement -> resourcesOf(statement).stream())
                .filter(resource -> map(resource).containsKey("Fn::Join"))
                .forEach(resource -> {
                    assertThat(dataResourceOf(resource)).startsWith("Artifacts");
                    resources.add("<bucket>" + joinedTail(resource));
                });
        return resources;
    }

    /** The literal text after the first part of an {@code Fn::Join}, e.g. {@code /index/*}. */
    private static String joinedTail(Object resource) {
        List<Object> parts = list(list(map(resource).get("Fn::Join")).get(1));
        StringBuilder tail = new StringBuilder();
        parts.subList(1, parts.size()).forEach(tail::append);
        return tail.toString();
    }

    private static String tableName(String dataLogicalId) {
        return data.properties(dataLogicalId).get("TableName").toString().replaceFirst("^tabrunner-", "");
    }

    /** {@code integrations/<Ref>} → the integration's logical id. */
    private static String integrationOf(Object target) {
        List<Object> join = list(map(target).get("Fn::Join"));
        List<Object> parts = list(join.get(1));
        assertThat(parts.get(0)).isEqualTo("integrations/");
        return ref(parts.get(1));
    }

    private static List<Map<String, Object>> secretsStatements(String function) {
        return api.statementsOf(functions.get(function)).stream()
                .filter(statement -> actions(statement).stream().anyMatch(a -> a.startsWith("secretsmanager:")))
                .toList();
    }

    /** Secrets Manager actions of the statements whose resource is exactly {@code arn}. */
    private static Set<String> secretsActionsOn(String function, String arn) {
        Set<String> actions = new TreeSet<>();
        secretsStatements(function).stream()
                .filter(statement -> resourcesOf(statement).stream().map(CfnTemplate::joined).anyMatch(arn::equals))
                .forEach(statement -> actions.addAll(actions(statement)));
        return actions;
    }

    /** KMS actions the function may use on the data stack's key. */
    private static Set<String> keyActions(String function) {
        Set<String> actions = new TreeSet<>();
        api.statementsOf(functions.get(function)).stream()
                .filter(statement -> resourcesOf(statement).stream()
                        .anyMatch(resource -> map(resource).containsKey("Fn::ImportValue")
                                && dataResourceOf(resource).startsWith("Key")))
                .forEach(statement -> actions.addAll(actions(statement)));
        return actions;
    }

    /**
     * Whether a statement's resources match an ARN as IAM matches them: {@code *} any run of characters (slashes
     * included), {@code ?} one; the pseudo parameters as in us-east-1 of account 111122223333.
     */
    private static boolean allows(Map<String, Object> statement, String arn) {
        return resourcesOf(statement).stream().map(CfnTemplate::joined).anyMatch(pattern -> {
            String concrete = pattern.replace("{AWS::Partition}", "aws").replace("{AWS::Region}", "us-east-1")
                    .replace("{AWS::AccountId}", "111122223333");
            StringBuilder regex = new StringBuilder();
            for (char c : concrete.toCharArray()) {
                regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
            }
            return arn.matches(regex.toString());
        });
    }

    private static String aliasOf(String functionId) {
        return api.resources("AWS::Lambda::Alias").entrySet().stream()
                .filter(entry -> functionId.equals(ref(map(entry.getValue().get("Properties")).get("FunctionName"))))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
    }

    private static Set<String> secretsActions(String function) {
        Set<String> actions = new TreeSet<>();
        api.actionsOf(functions.get(function)).stream()
                .filter(action -> action.startsWith("secretsmanager:"))
                .forEach(actions::add);
        return actions;
    }

    /** Function names (without prefix) that a role may invoke. */
    private static Set<String> invokeTargets(String functionId) {
        Set<String> targets = new TreeSet<>();
        api.statementsOf(functionId).stream()
                .filter(statement -> actions(statement).contains("lambda:InvokeFunction"))
                .flatMap(statement -> resourcesOf(statement).stream())
                .forEach(resource -> targets.add(invokedFunction(resource).replaceFirst("^tabrunner-", "")));
        return targets;
    }

    /** The function name an invoke statement's resource designates: a GetAtt, a GetAtt + ":*", or a built ARN. */
    private static String invokedFunction(Object resource) {
        String id = getAtt(resource);
        if (id == null) {
            id = getAtt(list(list(map(resource).get("Fn::Join")).get(1)).get(0));
        }
        if (id != null) {
            return api.properties(id).get("FunctionName").toString();
        }
        String arn = joined(resource);
        return arn.substring(arn.indexOf(":function:") + ":function:".length()).replaceFirst(":\\*$", "");
    }

    /**
     * Table name → "r" or "rw" for the function's role, following Fn::ImportValue back to the data stack's tables.
     * Index ARNs ({@code <table>/index/*}) count as their table.
     */
    private static Map<String, String> tableAccess(String function) {
        Map<String, String> access = new TreeMap<>();
        for (Map<String, Object> statement : api.statementsOf(functions.get(function))) {
            List<String> actions = actions(statement);
            if (actions.stream().noneMatch(action -> action.startsWith("dynamodb:"))) {
                continue;
            }
            String level = actions.contains("dynamodb:PutItem") ? "rw" : "r";
            for (Object resource : resourcesOf(statement)) {
                String table = data.properties(dataResourceOf(resource)).get("TableName").toString()
                        .replaceFirst("^tabrunner-", "");
                access.merge(table, level, (a, b) -> a.equals("rw") || b.equals("rw") ? "rw" : "r");
            }
        }
        return access;
    }

    /** The data stack's logical id behind an {@code Fn::ImportValue} (possibly inside an {@code Fn::Join}). */
    private static String dataResourceOf(Object value) {
        Map<String, Object> reference = map(value);
        if (reference.containsKey("Fn::Join")) {
            return dataResourceOf(list(list(reference.get("Fn::Join")).get(1)).get(0));
        }
        String exportName = reference.get("Fn::ImportValue").toString();
        for (Object output : data.outputs().values()) {
            Map<String, Object> o = map(output);
            if (o.containsKey("Export") && exportName.equals(map(o.get("Export")).get("Name"))) {
                Object source = o.get("Value");
                return getAtt(source) != null ? getAtt(source) : ref(source);
            }
        }
        throw new AssertionError("no export " + exportName);
    }
}
