package dev.tabrunner.infrastructure;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigatewayv2.AddRoutesOptions;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpMethod;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.AssetImageCodeProps;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.DockerImageCode;
import software.amazon.awscdk.services.lambda.DockerImageFunction;
import software.amazon.awscdk.services.lambda.EventInvokeConfigOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionUrl;
import software.amazon.awscdk.services.lambda.FunctionUrlAuthType;
import software.amazon.awscdk.services.lambda.FunctionUrlOptions;
import software.amazon.awscdk.services.lambda.InvokeMode;
import software.amazon.awscdk.services.lambda.RecursiveLoop;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.destinations.SqsDestination;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * The code of one deployment: the three API functions behind the HTTP API, the worker image function, the
 * dead-letter path that fails tasks whose worker invocations ran out of retries, and the scheduled recovery function
 * that finds tasks whose worker vanished (its lease ran out) and dispatches them again.
 *
 * <p>The browsing dialect's {@code sync} endpoint waits up to 10 minutes, past the HTTP API's 30 s, so a second
 * function with the tasks function's code, environment and role serves the tasks routes through a Lambda function
 * URL with an 11-minute timeout (ADR 0010).
 *
 * <p>Secrets Manager and Bedrock are granted by hand (the vault's secrets are created at run time, and models are
 * not constructs, so there is nothing to call {@code grant*} on): only the credentials function may write
 * credentials' secrets; the tasks function may write only agent tasks' secrets
 * ({@code <secretPrefix><tenantId>/task-<taskId>}) and the worker delete them; only the worker may read secret
 * values; all only under {@code <secretPrefix>}. Only the worker may invoke Bedrock models, and only when
 * {@code llmProvider} is {@code bedrock}.
 */
public final class ApiStack extends Stack {

    static final String API_HANDLER = "dev.tabrunner.aws.ApiHandler";
    static final String DEAD_LETTER_HANDLER = "dev.tabrunner.aws.DeadLetterHandler::handleRequest";
    static final String WORKER_HANDLER = "dev.tabrunner.aws.WorkerHandler::handleRequest";
    static final String RECOVERY_HANDLER = "dev.tabrunner.aws.RecoveryHandler::handleRequest";
    static final String ALIAS = "live";

    /** API Gateway ends every request at 30 s; the sync endpoints answer 202 with a poll URL a little before. */
    static final int SYNC_WAIT_MS = 25_000;
    private static final Duration API_TIMEOUT = Duration.seconds(30);
    /**
     * The browsing dialect's sync endpoint waits up to 10 minutes for its task (seed 003); the last minute is for
     * reading the task's end and writing the answer.
     */
    static final Duration BROWSING_SYNC_TIMEOUT = Duration.minutes(11);
    /** Lambda's maximum; the worker checkpoints, yields and re-invokes itself before it is reached. */
    private static final Duration WORKER_TIMEOUT = Duration.minutes(15);
    private static final Duration DEAD_LETTER_TIMEOUT = Duration.seconds(60);
    private static final Duration RECOVERY_TIMEOUT = Duration.seconds(60);
    /** A sweep reads two index pages and re-dispatches a few tasks: no browser, no big responses. */
    private static final int RECOVERY_MEMORY_MB = 512;
    /**
     * A worker renews its lease on a task while it runs; a task whose lease is older than this is abandoned and the
     * recovery sweep takes it over. Shared by every function so they all judge a lease the same way.
     */
    static final int LEASE_MS = 60_000;
    /** Dispatches of one task (first run plus re-dispatches after lost workers) before it fails as lost. */
    static final int MAX_ATTEMPTS = 3;
    /** C1 only: a request-serving function lives seconds to minutes, so C2's late peak never pays off. */
    static final String API_JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    /**
     * @param stack  the stack's environment, description and so on
     * @param config the deployment's settings
     * @param key    the customer-managed key of tables, bucket and secrets
     * @param tables the tables, from {@link DataStack}
     * @param bucket the artifacts bucket, from {@link DataStack}
     */
    public record Props(StackProps stack, DeploymentConfig config, IKey key, Tables tables, IBucket bucket) {
    }

    /** The values of {@code TABRUNNER_FUNCTION}: which slice of the one Micronaut app a function serves. */
    enum FunctionRole {
        SESSIONS("sessions"),
        TASKS("tasks"),
        CREDENTIALS("credentials"),
        WORKER("worker"),
        RECOVERY("recovery");

        final String id;

        FunctionRole(String id) {
            this.id = id;
        }
    }

    private final HttpApi httpApi;
    private final HttpStage stage;

    public ApiStack(Construct scope, String id, Props props) {
        super(scope, id, props.stack());
        DeploymentConfig config = props.config();
        Tables tables = props.tables();
        IBucket bucket = props.bucket();
        IKey key = props.key();

        String workerName = config.functionPrefix() + FunctionRole.WORKER.id;
        Map<String, String> environment = commonEnvironment(config, props, workerName);
        Code apiCode = apiCode(config);
        ThrottleSettings throttle = ThrottleSettings.builder()
                .rateLimit(config.throttleRateLimit())
                .burstLimit(config.throttleBurstLimit())
                .build();
        // the live view's frames: viewers connect to it, the worker posts to them (ADR 0040)
        LiveSocket liveSocket = new LiveSocket(this, "LiveSocket", config, apiCode, environment, tables,
                logGroup("LiveSocketLogs", config), throttle);
        // the queue first: every function that writes tasks queues deliveries in it
        Webhooks webhooks = new Webhooks(this, "Webhooks", config, apiCode, environment, tables, key,
                logGroup("WebhookLogs", config));
        environment.put(Webhooks.QUEUE_URL, webhooks.queueUrl());

        // ---- worker ----------------------------------------------------------------------------------------------
        Map<String, String> workerEnvironment = new LinkedHashMap<>(environment);
        workerEnvironment.put("TABRUNNER_FUNCTION", FunctionRole.WORKER.id);
        // Empty: the browser reaches the public internet only (no private, link-local or loopback addresses).
        workerEnvironment.put("TABRUNNER_EGRESS_ALLOW", config.egressAllow());
        workerEnvironment.putAll(config.llm().environment());
        workerEnvironment.put(LiveSocket.ENDPOINT, liveSocket.managementEndpoint());
        WorkerPlatform workerPlatform = WorkerPlatform.of(config.architecture());
        DockerImageFunction.Builder workerBuilder = DockerImageFunction.Builder.create(this, "Worker")
                .functionName(workerName)
                .description("Tabrunner worker: runs tasks in Chromium")
                .code(DockerImageCode.fromImageAsset(workerImageDir(config), AssetImageCodeProps.builder()
                        .cmd(List.of(WORKER_HANDLER))
                        // The image copies one platform's node binary of the Playwright driver: the one Lambda runs.
                        .platform(workerPlatform.docker())
                        .buildArgs(Map.of(WorkerPlatform.BUILD_ARG, workerPlatform.node()))
                        .build()))
                .architecture(config.architecture())
                // Chromium with a few tabs needs 1.5-2.5 GB, and Lambda allots CPU in proportion to memory: at
                // 3008 MB the worker gets ~2 vCPUs, which is what keeps page loads and screenshots quick.
                .memorySize(config.workerMemoryMb())
                .timeout(WORKER_TIMEOUT)
                // Chromium's profile, downloads and traces live in /tmp; 512 MB (the default) runs out on big pages.
                .ephemeralStorageSize(Size.mebibytes(config.workerEphemeralStorageMb()))
                // Long tasks continue by invoking the worker again; Lambda would stop that chain after 16 hops.
                .recursiveLoop(RecursiveLoop.ALLOW)
                .logGroup(logGroup("WorkerLogs", config))
                .environment(workerEnvironment);
        config.workerReservedConcurrency().ifPresent(workerBuilder::reservedConcurrentExecutions);
        DockerImageFunction worker = workerBuilder.build();

        // Failed asynchronous invocations (dispatches from the API and the worker's own continuations) end here
        // once their retries are spent; the dead-letter function marks their tasks failed.
        Queue unprocessable = Queue.Builder.create(this, "WorkerFailuresUnprocessable")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        Queue workerFailures = Queue.Builder.create(this, "WorkerFailures")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                // AWS advises six times the consumer's timeout so a slow attempt is not delivered twice at once.
                .visibilityTimeout(DEAD_LETTER_TIMEOUT.plus(Duration.minutes(5)))
                .deadLetterQueue(DeadLetterQueue.builder().queue(unprocessable).maxReceiveCount(5).build())
                .build();
        worker.configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .retryAttempts(config.workerRetryAttempts())
                .maxEventAge(Duration.hours(6))
                .onFailure(new SqsDestination(workerFailures))
                .build());

        tables.tasks().grantReadWriteData(worker);
        tables.sessions().grantReadWriteData(worker);
        tables.tenants().grantReadWriteData(worker);
        tables.files().grantReadWriteData(worker);
        tables.live().grantReadWriteData(worker);
        liveSocket.grantPostToViewers(worker);
        tables.credentials().grantReadData(worker);
        bucket.grantReadWrite(worker);
        Permissions.grantSecrets(this, worker, Permissions.SECRET_READ_ACTIONS, config.secretPrefix() + "*");
        Permissions.grantSecrets(this, worker, Permissions.TASK_SECRET_DISCARD_ACTIONS,
                Permissions.taskSecrets(config));
        key.grantDecrypt(worker);
        // Not worker.grantInvoke(worker): its policy would reference the function it is a dependency of (a cycle).
        // The explicit function name gives the ARN without a reference.
        Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(worker)
                .actions(List.of("lambda:InvokeFunction"))
                .resourceArns(List.of(functionArn(workerName), functionArn(workerName) + ":*"))
                .build());
        if (config.llm().bedrock()) {
            Permissions.grantBedrockInvoke(this, worker, config.llm());
        }

        // ---- dead-letter -----------------------------------------------------------------------------------------
        Function deadLetter = Function.Builder.create(this, "DeadLetter")
                .functionName(config.functionPrefix() + "dead-letter")
                .description("Tabrunner: fails tasks whose worker invocations were exhausted")
                .runtime(Runtime.JAVA_21)
                .architecture(config.architecture())
                .code(apiCode)
                .handler(DEAD_LETTER_HANDLER)
                .memorySize(config.apiMemoryMb())
                .timeout(DEAD_LETTER_TIMEOUT)
                .logGroup(logGroup("DeadLetterLogs", config))
                .environment(environment)
                .build();
        // One record per invocation: a failure then retries only its own task, with no partial-batch protocol.
        deadLetter.addEventSource(SqsEventSource.Builder.create(workerFailures).batchSize(1).build());
        // it fails the task, then applies what follows any end: the session's turn handed on (a session of its own
        // terminated), the task's secrets discarded, its large parts read from the bucket
        tables.tasks().grantReadWriteData(deadLetter);
        tables.sessions().grantReadWriteData(deadLetter);
        tables.tenants().grantReadWriteData(deadLetter);
        bucket.grantReadWrite(deadLetter);
        Permissions.grantSecrets(this, deadLetter, Permissions.TASK_SECRET_DISCARD_ACTIONS,
                Permissions.taskSecrets(config));
        // dispatching the session's next waiting task
        Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(deadLetter)
                .actions(List.of("lambda:InvokeFunction"))
                .resourceArns(List.of(functionArn(workerName), functionArn(workerName) + ":*"))
                .build());

        // ---- recovery --------------------------------------------------------------------------------------------
        Map<String, String> recoveryEnvironment = new LinkedHashMap<>(environment);
        recoveryEnvironment.put("TABRUNNER_FUNCTION", FunctionRole.RECOVERY.id);
        Function recovery = Function.Builder.create(this, "Recovery")
                .functionName(config.functionPrefix() + FunctionRole.RECOVERY.id)
                .description("Tabrunner: re-dispatches tasks whose worker was lost, fails them after "
                        + MAX_ATTEMPTS + " attempts")
                .runtime(Runtime.JAVA_21)
                .architecture(config.architecture())
                .code(apiCode)
                .handler(RECOVERY_HANDLER)
                .memorySize(RECOVERY_MEMORY_MB)
                .timeout(RECOVERY_TIMEOUT)
                .logGroup(logGroup("RecoveryLogs", config))
                .environment(recoveryEnvironment)
                .build();
        Duration recoveryInterval = Duration.minutes(config.recoveryIntervalMinutes());
        // The next sweep redoes whatever a failed one missed, so retrying a failed or delayed sweep would only run
        // two of them side by side.
        recovery.configureAsyncInvoke(EventInvokeConfigOptions.builder()
                .retryAttempts(0)
                .maxEventAge(recoveryInterval)
                .build());
        Rule.Builder.create(this, "RecoverySchedule")
                .description("Tabrunner: recovery sweep every " + config.recoveryIntervalMinutes() + " minute(s)")
                .schedule(Schedule.rate(recoveryInterval))
                // These retries repeat only a delivery EventBridge could not make (the sweep never started), and
                // give up by the next tick; EventBridge's default would keep trying for 24 hours.
                .targets(List.of(new LambdaFunction(recovery, LambdaFunctionProps.builder()
                        .retryAttempts(2)
                        .maxEventAge(recoveryInterval)
                        .build())))
                .build();
        // Index queries included: grantReadWriteData covers <table>/index/*.
        tables.tasks().grantReadWriteData(recovery);
        tables.sessions().grantReadWriteData(recovery);
        tables.tenants().grantReadWriteData(recovery);
        // tasks' large parts (results, network log, steps) are in the bucket
        bucket.grantRead(recovery);
        worker.grantInvoke(recovery);

        // ---- API functions ---------------------------------------------------------------------------------------
        ApiFunction sessions = apiFunction(FunctionRole.SESSIONS, config, apiCode, environment);
        Function sessionsFn = sessions.function();
        tables.sessions().grantReadWriteData(sessionsFn);
        tables.tenants().grantReadWriteData(sessionsFn);
        tables.files().grantReadWriteData(sessionsFn);
        tables.apiKeys().grantReadWriteData(sessionsFn);
        tables.tasks().grantReadData(sessionsFn);
        tables.idempotency().grantReadWriteData(sessionsFn);
        tables.rateLimits().grantReadWriteData(sessionsFn);
        bucket.grantReadWrite(sessionsFn);
        // No invoke on the worker: no sessions route starts a task (terminating a session only flags its running
        // task, which the worker reads between steps). TABRUNNER_WORKER_FUNCTION is set anyway so the one shared
        // application context starts the same way in every API function.

        // The tasks function checks model names and refuses agent tasks when no provider is configured, so it reads
        // the same settings as the worker; it never calls the model, so it gets no Bedrock grant.
        Map<String, String> tasksEnvironment = new LinkedHashMap<>(environment);
        tasksEnvironment.putAll(config.llm().environment());
        // the live view's status names the socket its frames come over
        tasksEnvironment.put(LiveSocket.URL, liveSocket.url());
        ApiFunction tasks = apiFunction(FunctionRole.TASKS, config, apiCode, tasksEnvironment);
        Function tasksFn = tasks.function();
        tables.tasks().grantReadWriteData(tasksFn);
        tables.sessions().grantReadWriteData(tasksFn);
        tables.tenants().grantReadWriteData(tasksFn);
        tables.files().grantReadWriteData(tasksFn);
        tables.idempotency().grantReadWriteData(tasksFn);
        tables.rateLimits().grantReadWriteData(tasksFn);
        tables.live().grantReadWriteData(tasksFn);
        tables.apiKeys().grantReadData(tasksFn);
        bucket.grantReadWrite(tasksFn);
        worker.grantInvoke(tasksFn);
        // An agent task's secrets are sealed in the vault when it is accepted, and discarded when it ends without a
        // worker (stopped while waiting, or its creation failed); never another secret, never a value read back.
        Permissions.grantSecrets(this, tasksFn, Permissions.TASK_SECRET_WRITE_ACTIONS,
                Permissions.taskSecrets(config));
        // Secrets Manager asks KMS for a data key (and decrypts it) as the caller when it stores a value.
        key.grantEncryptDecrypt(tasksFn);

        // The same slice of the app, role and all (every tasks route can reach it through the URL), without the
        // HTTP API's 30 s limit. Auth NONE: the app checks the bearer key itself, as behind the HTTP API.
        ApiFunction browsingSync = apiFunction(new ApiFunctionSpec("BrowsingSync", "browsing-sync",
                "Tabrunner API: tasks routes through a function URL, for the browsing dialect's 10-minute sync",
                FunctionRole.TASKS, BROWSING_SYNC_TIMEOUT, tasksFn.getRole()), config, apiCode, tasksEnvironment);
        FunctionUrl browsingSyncUrl = browsingSync.alias().addFunctionUrl(FunctionUrlOptions.builder()
                .authType(FunctionUrlAuthType.NONE)
                .invokeMode(InvokeMode.BUFFERED)
                .build());

        ApiFunction credentials = apiFunction(FunctionRole.CREDENTIALS, config, apiCode, environment);
        Function credentialsFn = credentials.function();
        tables.credentials().grantReadWriteData(credentialsFn);
        tables.apiKeys().grantReadData(credentialsFn);
        tables.idempotency().grantReadWriteData(credentialsFn);
        tables.rateLimits().grantReadWriteData(credentialsFn);
        // Only the large idempotent responses (a credential's own data never goes to the bucket).
        bucket.grantReadWrite(credentialsFn, DataStack.IDEMPOTENCY_PREFIX + "*");
        Permissions.grantSecrets(this, credentialsFn, Permissions.SECRET_WRITE_ACTIONS,
                config.secretPrefix() + "*");
        // Secrets Manager asks KMS for a data key (and decrypts it) as the caller when it stores a value.
        key.grantEncryptDecrypt(credentialsFn);

        webhooks.publishers(worker, deadLetter, recovery, tasksFn);
        // the sessions function registers webhooks; their signing secrets go to the vault
        tables.webhooks().grantReadWriteData(sessionsFn);
        Permissions.grantSecrets(this, sessionsFn, Permissions.SECRET_WRITE_ACTIONS,
                config.secretPrefix() + "*/webhook-*");
        key.grantEncryptDecrypt(sessionsFn);
        // every API function records when a key was last used (only that attribute: no function but sessions writes
        // keys)
        Permissions.grantKeyUse(tables.apiKeys(), tasksFn, credentialsFn);

        // ---- HTTP API --------------------------------------------------------------------------------------------
        httpApi = HttpApi.Builder.create(this, "HttpApi")
                .apiName(config.functionPrefix() + "api")
                .description("Tabrunner browser-automation API")
                // Our own $default stage below, to set throttling and access logs on it.
                .createDefaultStage(false)
                .build();
        LogGroup accessLogs = logGroup("ApiAccessLogs", config);
        stage = HttpStage.Builder.create(this, "DefaultStage")
                .httpApi(httpApi)
                .stageName("$default")
                .autoDeploy(true)
                .throttle(throttle)
                .accessLogSettings(new IAccessLogSettings() {
                    @Override
                    public IAccessLogDestination getDestination() {
                        return new LogGroupLogDestination(accessLogs);
                    }
                })
                .build();
        addRoutes(FunctionRole.SESSIONS, sessions.alias());
        addRoutes(FunctionRole.TASKS, tasks.alias());
        addRoutes(FunctionRole.CREDENTIALS, credentials.alias());

        CfnOutput.Builder.create(this, "ApiUrl").value(stage.getUrl()).build();
        CfnOutput.Builder.create(this, "SessionsFunctionName")
                .description("Invoke with {\"bootstrapAdminKey\":true} to create the first admin key")
                .value(sessionsFn.getFunctionName())
                .build();
        CfnOutput.Builder.create(this, "WorkerFunctionName").value(workerName).build();
        CfnOutput.Builder.create(this, "LiveSocketUrl").value(liveSocket.url()).build();
        CfnOutput.Builder.create(this, "WorkerFailuresQueueUrl").value(workerFailures.getQueueUrl()).build();
        CfnOutput.Builder.create(this, "RecoveryFunctionName").value(recovery.getFunctionName()).build();
        CfnOutput.Builder.create(this, "BrowsingSyncUrl")
                .description("Base URL of the tasks routes without the 30 s limit: call"
                        + " <BrowsingSyncUrl>api/v1/browsing/sync here, not on ApiUrl")
                .value(browsingSyncUrl.getUrl())
                .build();
    }

    public HttpApi httpApi() {
        return httpApi;
    }

    public HttpStage stage() {
        return stage;
    }

    /** An API function and the alias that the HTTP API (or the function URL) calls. */
    private record ApiFunction(Function function, Alias alias) {
    }

    /**
     * @param id          construct id, also the prefix of the log group's and alias's ids
     * @param name        the function's name after {@code functionPrefix}
     * @param role        the slice of the app it serves ({@code TABRUNNER_FUNCTION})
     * @param sharedRole  the execution role of another function serving the same slice, or null for its own
     */
    private record ApiFunctionSpec(String id, String name, String description, FunctionRole role, Duration timeout,
                                   IRole sharedRole) {

        static ApiFunctionSpec behindTheHttpApi(FunctionRole role) {
            return new ApiFunctionSpec(capitalize(role.id), role.id, "Tabrunner API: " + role.id + " routes", role,
                    API_TIMEOUT, null);
        }
    }

    private ApiFunction apiFunction(FunctionRole role, DeploymentConfig config, Code code,
                                    Map<String, String> commonEnvironment) {
        return apiFunction(ApiFunctionSpec.behindTheHttpApi(role), config, code, commonEnvironment);
    }

    private ApiFunction apiFunction(ApiFunctionSpec spec, DeploymentConfig config, Code code,
                                    Map<String, String> commonEnvironment) {
        Map<String, String> environment = new LinkedHashMap<>(commonEnvironment);
        environment.put("TABRUNNER_FUNCTION", spec.role().id);
        environment.put("JAVA_TOOL_OPTIONS", API_JAVA_TOOL_OPTIONS);
        environment.put("TABRUNNER_TENANT_RPS", Integer.toString(config.tenantRps()));
        environment.put("TABRUNNER_TENANT_MAX_SESSIONS", Integer.toString(config.tenantMaxSessions()));
        environment.put("TABRUNNER_TENANT_MAX_TASKS", Integer.toString(config.tenantMaxTasks()));
        String id = spec.id();
        Function function = Function.Builder.create(this, id)
                .functionName(config.functionPrefix() + spec.name())
                .description(spec.description())
                .runtime(Runtime.JAVA_21)
                .architecture(config.architecture())
                .code(code)
                .handler(API_HANDLER)
                .memorySize(config.apiMemoryMb())
                .timeout(spec.timeout())
                .role(spec.sharedRole())
                // The Micronaut context starts once per published version and is restored from a snapshot.
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .logGroup(logGroup(id + "Logs", config))
                .environment(environment)
                .build();
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "the HTTP API calls the version published through alias " + ALIAS);
        // SnapStart applies only to published versions; routing to $LATEST would cold-start every time.
        Alias alias = Alias.Builder.create(this, id + "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
        return new ApiFunction(function, alias);
    }

    private void addRoutes(FunctionRole role, Alias target) {
        HttpLambdaIntegration integration = new HttpLambdaIntegration(capitalize(role.id) + "Integration", target);
        for (String route : ApiRoutes.ROUTES.get(role.id)) {
            String[] methodAndPath = route.split(" ", 2);
            httpApi.addRoutes(AddRoutesOptions.builder()
                    .methods(List.of(HttpMethod.valueOf(methodAndPath[0])))
                    .path(methodAndPath[1])
                    .integration(integration)
                    .build());
        }
    }

    private LogGroup logGroup(String id, DeploymentConfig config) {
        return LogGroup.Builder.create(this, id)
                .retention(LogRetention.of(config.logRetentionDays()))
                // Logs expire anyway; leaving the groups behind after `cdk destroy` would only clutter the account.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
    }

    private Map<String, String> commonEnvironment(DeploymentConfig config, Props props, String workerName) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("TABRUNNER_TABLE_PREFIX", config.tablePrefix());
        environment.put("TABRUNNER_BUCKET", props.bucket().getBucketName());
        environment.put("TABRUNNER_KMS_KEY_ID", props.key().getKeyArn());
        environment.put("TABRUNNER_SECRET_PREFIX", config.secretPrefix());
        environment.put("TABRUNNER_WORKER_FUNCTION", workerName);
        environment.put("TABRUNNER_SYNC_WAIT_MS", Integer.toString(SYNC_WAIT_MS));
        // agent tasks wait longer locally (50 s, seed 001); behind API Gateway they must answer before its 30 s
        environment.put("TABRUNNER_AGENT_SYNC_WAIT_MS", Integer.toString(SYNC_WAIT_MS));
        environment.put("TABRUNNER_LEASE_MS", Integer.toString(LEASE_MS));
        environment.put("TABRUNNER_MAX_ATTEMPTS", Integer.toString(MAX_ATTEMPTS));
        // one JSON object per log line: CloudWatch Logs Insights reads the fields (request, task transition) as such
        environment.put("TABRUNNER_LOG_FORMAT", "json");
        environment.putAll(config.tasks().environment());
        return environment;
    }

    private String functionArn(String functionName) {
        return formatArn(ArnComponents.builder()
                .service("lambda")
                .resource("function")
                .resourceName(functionName)
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
    }

    private static Code apiCode(DeploymentConfig config) {
        File jar = new File(config.apiJar());
        if (!jar.isFile()) {
            throw new IllegalArgumentException("API jar not found at " + jar.getAbsolutePath()
                    + ": run `mvn -B -ntp -pl functions -am package -DskipTests` at the repository root first, or"
                    + " pass -c apiJar=<path>");
        }
        return Code.fromAsset(jar.getPath());
    }

    private static String workerImageDir(DeploymentConfig config) {
        File directory = new File(config.workerImageDir());
        if (!new File(directory, "Dockerfile").isFile()) {
            throw new IllegalArgumentException("no Dockerfile in " + directory.getAbsolutePath()
                    + ": pass -c workerImageDir=<directory holding the worker's Dockerfile>");
        }
        WorkerPlatform.of(config.architecture()).requireBuiltFor(directory);
        return directory.getPath();
    }

    private static String capitalize(String value) {
        return Character.toUpperCase(value.charAt(0)) + value.substring(1);
    }
}
