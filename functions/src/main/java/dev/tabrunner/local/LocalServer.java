package dev.tabrunner.local;

import dev.tabrunner.adapter.dynamodb.DynamoDbApiKeyStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbCredentialStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbFileStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbIdempotencyStore;
import dev.tabrunner.adapter.local.InMemoryRateLimiter;
import dev.tabrunner.adapter.dynamodb.DynamoDbSessionStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbTables;
import dev.tabrunner.adapter.dynamodb.DynamoDbTaskStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbWebhookStore;
import dev.tabrunner.adapter.local.LocalDirectoryWebhookOutbox;
import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.events.ObservedTaskStore;
import dev.tabrunner.events.TaskEventLog;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.webhook.WebhookPublisher;
import dev.tabrunner.webhook.WebhookSender;
import dev.tabrunner.adapter.local.EncryptedFileVault;
import dev.tabrunner.adapter.local.InProcessLiveView;
import dev.tabrunner.adapter.local.InProcessTaskCompletions;
import dev.tabrunner.adapter.local.InProcessTaskDispatcher;
import dev.tabrunner.adapter.local.LocalDirectoryBlobStore;
import dev.tabrunner.admin.ApiKeyService;
import dev.tabrunner.browsing.BrowsingSettings;
import dev.tabrunner.browsing.ScreenshotSweeper;
import dev.tabrunner.http.AgentApiSettings;
import dev.tabrunner.http.ApiSettings;
import dev.tabrunner.egress.UpstreamProxies;
import dev.tabrunner.llm.LanguageModelSettings;
import dev.tabrunner.llm.ModelRouter;
import dev.tabrunner.port.TaskDispatcher;
import dev.tabrunner.port.TaskExecutor;
import dev.tabrunner.port.TaskExecutorFactory;
import dev.tabrunner.port.WorkerEnvironment;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.micronaut.runtime.server.EmbeddedServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import dev.tabrunner.service.TaskRecovery;

/**
 * The whole system in one JVM: DynamoDB Local, a blob directory, the in-process worker with Chromium, and the
 * HTTP API. This is the composition root of local mode: every port is wired here, explicitly, and handed to
 * Micronaut as ready-made singletons, so the API code is the same code that runs behind API Gateway.
 */
public final class LocalServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalServer.class);
    /** Where a generated (or rotated) admin key is kept in the data directory, owner-readable only. */
    static final String ADMIN_KEY_FILE = "admin-key";

    private final DataDirLock lock;
    private final EmbeddedDynamoDb dynamo;
    private final InProcessTaskDispatcher dispatcher;
    private final ScheduledExecutorService recovery;
    private final ScheduledExecutorService deliveries;
    private final WebhookSender webhookSender;
    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final String adminKey;
    private final boolean adminKeyFromEnv;

    private LocalServer(DataDirLock lock, EmbeddedDynamoDb dynamo, InProcessTaskDispatcher dispatcher,
                        ScheduledExecutorService recovery, ScheduledExecutorService deliveries,
                        WebhookSender webhookSender, ApplicationContext context, String adminKey,
                        boolean adminKeyFromEnv) {
        this.deliveries = deliveries;
        this.webhookSender = webhookSender;
        this.lock = lock;
        this.dynamo = dynamo;
        this.recovery = recovery;
        this.dispatcher = dispatcher;
        this.context = context;
        this.server = context.getBean(EmbeddedServer.class);
        this.adminKey = adminKey;
        this.adminKeyFromEnv = adminKeyFromEnv;
    }

    /** Starts everything from a settings map shaped like the process environment (see README). */
    public static LocalServer start(Map<String, String> env) {
        return start(env, Clock.systemUTC());
    }

    /**
     * As {@link #start(Map)}, on a clock of the caller's: every part of the system reads the time from it (tests
     * move it forward to see what happens days later).
     */
    public static LocalServer start(Map<String, String> env, Clock clock) {
        Path dataDir = Path.of(setting(env, "TABRUNNER_DATA_DIR", ".tabrunner")).toAbsolutePath();
        int port = Integer.parseInt(setting(env, "TABRUNNER_PORT", "8080"));
        String host = setting(env, "TABRUNNER_HOST", "127.0.0.1");
        int workers = Integer.parseInt(setting(env, "TABRUNNER_WORKER_CONCURRENCY", "2"));
        ApiSettings apiSettings = ApiSettings.from(env);
        // malformed model settings stop the start here, naming the variable, rather than failing tasks later
        ModelRouter models = new ModelRouter(LanguageModelSettings.from(env));
        AgentApiSettings agentSettings = AgentApiSettings.from(env);
        UpstreamProxies proxies = UpstreamProxies.from(env);
        BrowsingSettings browsing = BrowsingSettings.from(env, proxies);
        if (models.configured()) {
            LOG.info("natural-language tasks use {}", models.settings());
        } else {
            LOG.info("no language model configured: natural-language tasks are refused, scripted tasks run");
        }

        DataDirLock lock = DataDirLock.acquire(dataDir);
        EmbeddedDynamoDb dynamo;
        try {
            dynamo = EmbeddedDynamoDb.start(dataDir.resolve("dynamodb"));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        InProcessTaskDispatcher dispatcher = null;
        ScheduledExecutorService recovery = null;
        ScheduledExecutorService deliveries = null;
        WebhookSender webhookSender = null;
        try {
            DynamoDbTables tables = new DynamoDbTables(setting(env, "TABRUNNER_TABLE_PREFIX", "tabrunner-"));
            tables.createMissing(dynamo.client());
            var blobs = new LocalDirectoryBlobStore(dataDir.resolve("blobs"));
            java.time.Duration retention = java.time.Duration.ofDays(
                    dev.tabrunner.adapter.aws.AwsSettings.retentionDays(env));
            var sessions = new DynamoDbSessionStore(dynamo.client(), tables, retention);
            // every task write of this process (API, worker, sweeps) goes through the observed store: its
            // transitions are logged and become the tenants' webhook deliveries
            var webhooks = new DynamoDbWebhookStore(dynamo.client(), tables.webhooks());
            var outbox = new LocalDirectoryWebhookOutbox(dataDir.resolve("webhook-outbox"));
            TaskStore tasks = new ObservedTaskStore(new DynamoDbTaskStore(dynamo.client(), tables, blobs, retention),
                    List.of(new TaskEventLog(), new WebhookPublisher(webhooks, outbox)), clock);
            EgressPolicy egress = EgressPolicy.fromAllowList(env.get("TABRUNNER_EGRESS_ALLOW"));
            var files = new DynamoDbFileStore(dynamo.client(), tables.files());
            var keys = new DynamoDbApiKeyStore(dynamo.client(), tables.apiKeys());
            var credentials = new DynamoDbCredentialStore(dynamo.client(), tables.credentials());
            var vault = new EncryptedFileVault(dataDir.resolve("vault"),
                    EncryptedFileVault.loadOrCreateKey(env, dataDir.resolve("vault.key")));
            var completions = new InProcessTaskCompletions();
            var idempotency = new DynamoDbIdempotencyStore(dynamo.client(), tables.idempotency(), blobs);
            // one process serves every request here, so an in-memory window is exact
            var rateLimiter = new InMemoryRateLimiter(apiSettings.tenantRps());
            var liveView = new InProcessLiveView();
            var connections = new dev.tabrunner.adapter.local.InProcessBrowserConnections();

            TaskExecutorFactory factory = ServiceLoader.load(TaskExecutorFactory.class).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no worker on the classpath: the local server"
                            + " needs the tabrunner-container-image module"));
            // the worker hands tasks on through the dispatcher that runs it: bound once both exist
            AtomicReference<TaskDispatcher> handOn = new AtomicReference<>();
            TaskExecutor worker = factory.create(new WorkerEnvironment(sessions, tasks, files, blobs, credentials,
                    vault, liveView, completions, task -> handOn.get().dispatch(task),
                    new dev.tabrunner.adapter.LanguageModelClients(models.settings(), vault), clock, env,
                    connections));
            dispatcher = new InProcessTaskDispatcher(worker, workers);
            handOn.set(dispatcher);
            recovery = startRecovery(new TaskRecovery(tasks, dispatcher, clock,
                    Duration.ofMillis(4 * recoveryIntervalMs(env))), recoveryIntervalMs(env));
            // browsing tasks' files go 5 days after their task ended, as the bucket's lifecycle rule does on AWS
            long sweepMs = Long.parseLong(setting(env, "TABRUNNER_BROWSING_SWEEP_INTERVAL_MS", "3600000"));
            repeat(recovery, Math.min(sweepMs, 5_000), sweepMs, "deleted {} expired browsing file(s)",
                    "browsing file sweep", new ScreenshotSweeper(blobs, tasks, clock)::sweep);
            // deliveries on a thread of their own: a slow receiver (10 s timeout) must not hold up the sweeps
            webhookSender = new WebhookSender(webhooks, vault, egress, clock);
            deliveries = daemonTimer("tabrunner-webhooks");
            repeat(deliveries, 1_000, 1_000, "attempted {} webhook deliver(ies)", "webhook deliveries",
                    new WebhookPump(outbox, webhookSender, clock)::pass);

            Map<String, Object> properties = new HashMap<>();
            properties.put("micronaut.server.port", port);
            properties.put("micronaut.server.host", host);
            properties.put("micronaut.server.max-request-size", apiSettings.maxUploadBytes() + 1_048_576);
            properties.put("micronaut.server.multipart.max-file-size", apiSettings.maxUploadBytes() + 1_048_576);
            // a browsing sync request waits up to 10 minutes for its task: the connection must outlive that
            String idle = Math.max(browsing.syncWait().plusMinutes(1).toSeconds(), 300) + "s";
            properties.put("micronaut.server.idle-timeout", idle);
            properties.put("micronaut.server.read-idle-timeout", idle);
            properties.put("micronaut.server.write-idle-timeout", idle);
            ApplicationContext context = Micronaut.build(new String[0])
                    .properties(properties)
                    .singletons(clock, sessions, tasks, files, keys, blobs, credentials, vault, liveView,
                            completions, dispatcher, apiSettings, idempotency, rateLimiter, models,
                            agentSettings, proxies, browsing, webhooks, egress, connections)
                    .banner(false)
                    .deduceEnvironment(false)
                    .start();
            ApiKeyService keyService = context.getBean(ApiKeyService.class);
            String envKey = env.get("TABRUNNER_ADMIN_KEY");
            String adminKey;
            boolean fromEnv = envKey != null && !envKey.isBlank();
            if (fromEnv) {
                keyService.registerOperatorKey(envKey.trim());
                adminKey = envKey.trim();
            } else {
                adminKey = generatedAdminKey(dataDir, keyService);
            }
            return new LocalServer(lock, dynamo, dispatcher, recovery, deliveries, webhookSender, context, adminKey,
                    fromEnv);
        } catch (RuntimeException e) {
            if (recovery != null) {
                recovery.shutdownNow();
            }
            if (deliveries != null) {
                deliveries.shutdownNow();
                webhookSender.close();
            }
            if (dispatcher != null) {
                dispatcher.close();
            }
            dynamo.close();
            lock.close();
            throw e;
        }
    }

    /**
     * The first start generates an admin key; its hash goes to the store and the key itself to an owner-only file
     * in the data directory, so later starts can print it again.
     */
    private static String generatedAdminKey(Path dataDir, ApiKeyService keys) {
        Path file = dataDir.resolve(ADMIN_KEY_FILE);
        try {
            if (Files.exists(file)) {
                String existing = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (keys.authenticate(existing).isPresent()) {
                    return existing;
                }
                LOG.warn("the admin key in {} is no longer valid; issuing a new one", file);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not read the admin key in " + file, e);
        }
        String key = keys.issueOperatorKey("generated on first start").secret();
        keepAdminKey(dataDir, key);
        return key;
    }

    /** Writes the admin key to the data directory's owner-only file, replacing it in one step. */
    static void keepAdminKey(Path dataDir, String key) {
        Path file = dataDir.resolve(ADMIN_KEY_FILE);
        try {
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, ADMIN_KEY_FILE, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, key + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("could not keep the admin key in " + file, e);
        }
    }

    private static long recoveryIntervalMs(Map<String, String> env) {
        return Long.parseLong(setting(env, "TABRUNNER_RECOVERY_INTERVAL_MS", "15000"));
    }

    /**
     * Sweeps for abandoned and stranded tasks periodically, and once right after start: a previous run of this
     * server may have been killed in the middle of tasks.
     */
    private static ScheduledExecutorService startRecovery(TaskRecovery recovery, long intervalMs) {
        ScheduledExecutorService timer = daemonTimer("tabrunner-recovery");
        repeat(timer, Math.min(intervalMs, 2_000), intervalMs, "recovery: dispatched {} task(s) again",
                "recovery sweep", recovery::sweep);
        return timer;
    }

    private static ScheduledExecutorService daemonTimer(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs a sweep every {@code intervalMs}, logging what it did; a failed pass is logged and the next one runs. */
    private static void repeat(ScheduledExecutorService timer, long firstMs, long intervalMs, String done,
                               String what, IntSupplier sweep) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                int n = sweep.getAsInt();
                if (n > 0) {
                    LOG.info(done, n);
                }
            } catch (RuntimeException e) {
                LOG.warn("{} failed: {}", what, e.getMessage());
            }
        }, firstMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    private static String setting(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    public String baseUrl() {
        return "http://" + server.getHost() + ":" + server.getPort();
    }

    public String adminKey() {
        return adminKey;
    }

    public ApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        recovery.shutdownNow();
        deliveries.shutdownNow();
        webhookSender.close();
        context.close();
        dispatcher.close();
        dynamo.close();
        lock.close();
    }

    public static void main(String[] args) {
        LocalServer server = start(System.getenv());
        // Micronaut's own shutdown hook stops the HTTP server; a second hook closing the context deadlocks with it.
        // DynamoDB Local commits every write, and Playwright's driver ends its browsers when this JVM exits.
        String base = server.baseUrl();
        System.out.println();
        System.out.println("Tabrunner is running at " + base);
        System.out.println("Admin API key" + (server.adminKeyFromEnv ? " (TABRUNNER_ADMIN_KEY): " : ": ")
                + server.adminKey());
        System.out.println();
        System.out.println("Try it:");
        System.out.println("  export TABRUNNER_KEY='" + server.adminKey() + "'");
        System.out.println("  curl -s -X POST " + base + "/browser/sessions -H \"Authorization: Bearer"
                + " $TABRUNNER_KEY\"");
        System.out.println("  curl -s -X POST " + base + "/browser/sessions/<id>/tasks -H \"Authorization: Bearer"
                + " $TABRUNNER_KEY\" -H 'Content-Type: application/json' \\");
        System.out.println("       -d '{\"url\":\"https://example.com\",\"content\":true}'");
        System.out.println("Press Ctrl+C to stop.");
    }
}
