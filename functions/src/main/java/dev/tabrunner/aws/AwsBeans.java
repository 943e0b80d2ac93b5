package dev.tabrunner.aws;

import dev.tabrunner.adapter.aws.AwsAdapters;
import dev.tabrunner.adapter.aws.AwsClients;
import dev.tabrunner.adapter.aws.AwsSettings;
import dev.tabrunner.browsing.BrowsingSettings;
import dev.tabrunner.http.AgentApiSettings;
import dev.tabrunner.http.ApiSettings;
import dev.tabrunner.egress.UpstreamProxies;
import dev.tabrunner.llm.LanguageModelSettings;
import dev.tabrunner.llm.ModelRouter;
import dev.tabrunner.port.ApiKeyStore;
import dev.tabrunner.port.BlobStore;
import dev.tabrunner.port.CredentialStore;
import dev.tabrunner.port.CredentialVault;
import dev.tabrunner.port.FileStore;
import dev.tabrunner.port.LiveView;
import dev.tabrunner.port.SessionStore;
import dev.tabrunner.port.TaskCompletions;
import dev.tabrunner.port.TaskDispatcher;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.port.WebhookStore;
import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.port.IdempotencyStore;
import dev.tabrunner.port.RateLimiter;
import dev.tabrunner.adapter.dynamodb.DynamoDbRateLimiter;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The composition root on Lambda: every port the local server hands over, built from the function's environment
 * variables with one SDK client per service. Active only in Micronaut's {@code function} environment, which the
 * Lambda handler's context sets and the local server never does. Settings, clients and the clock are built here
 * unless the context was given its own (tests give DynamoDB Local and in-JVM substitutes of the other services).
 */
@Factory
@Requires(env = Environment.FUNCTION)
final class AwsBeans {
    @Singleton
    @Requires(missingBeans = AwsSettings.class)
    AwsSettings awsSettings() {
        return AwsSettings.from(System.getenv());
    }

    @Singleton
    @Requires(missingBeans = ApiSettings.class)
    ApiSettings apiSettings() {
        return ApiSettings.forLambda(System.getenv());
    }

    @Singleton
    @Requires(missingBeans = Clock.class)
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    @Requires(missingBeans = AwsClients.class)
    @Bean(preDestroy = "close")
    AwsClients awsClients(AwsSettings settings) {
        return AwsClients.create(settings, System.getenv());
    }

    @Singleton
    AwsAdapters awsAdapters(AwsClients clients, AwsSettings settings) {
        return AwsAdapters.create(clients, settings);
    }

    @Singleton
    SessionStore sessionStore(AwsAdapters aws) {
        return aws.sessions();
    }

    @Singleton
    TaskStore taskStore(AwsAdapters aws) {
        return aws.tasks();
    }

    @Singleton
    FileStore fileStore(AwsAdapters aws) {
        return aws.files();
    }

    @Singleton
    ApiKeyStore apiKeyStore(AwsAdapters aws) {
        return aws.apiKeys();
    }

    @Singleton
    BlobStore blobStore(AwsAdapters aws) {
        return aws.blobs();
    }

    @Singleton
    CredentialStore credentialStore(AwsAdapters aws) {
        return aws.credentials();
    }

    @Singleton
    CredentialVault credentialVault(AwsAdapters aws) {
        return aws.vault();
    }

    @Singleton
    LiveView liveView(AwsAdapters aws) {
        return aws.liveView();
    }

    @Singleton
    TaskDispatcher taskDispatcher(AwsAdapters aws) {
        return aws.dispatcher();
    }

    @Singleton
    WebhookStore webhookStore(AwsAdapters aws) {
        return aws.webhooks();
    }

    /** The egress guard a webhook endpoint must pass at registration (the webhook function checks it again). */
    @Singleton
    @Requires(missingBeans = EgressPolicy.class)
    EgressPolicy egressPolicy() {
        return EgressPolicy.fromAllowList(System.getenv("TABRUNNER_EGRESS_ALLOW"));
    }

    @Singleton
    IdempotencyStore idempotencyStore(AwsAdapters aws) {
        return aws.idempotency();
    }

    /** Every API function instance counts in the same table, so the limit holds across instances. */
    @Singleton
    RateLimiter rateLimiter(AwsClients clients, AwsAdapters aws, ApiSettings settings) {
        return new DynamoDbRateLimiter(clients.dynamoDb(), aws.tables().rateLimits(), settings.tenantRps());
    }

    /** Which language model serves agent tasks: only the model names and prices are needed on the API side. */
    @Singleton
    @Requires(missingBeans = ModelRouter.class)
    ModelRouter modelRouter() {
        return new ModelRouter(LanguageModelSettings.from(System.getenv()));
    }

    /** Which countries have an operator proxy (browser-use v1 {@code proxy_country_code}); the worker uses them. */
    @Singleton
    @Requires(missingBeans = UpstreamProxies.class)
    UpstreamProxies upstreamProxies() {
        return UpstreamProxies.from(System.getenv());
    }

    /** The browsing API's nodes, templates and sync wait (the worker gives each node's egress). */
    @Singleton
    @Requires(missingBeans = BrowsingSettings.class)
    BrowsingSettings browsingSettings(UpstreamProxies proxies) {
        return BrowsingSettings.from(System.getenv(), proxies);
    }

    @Singleton
    @Requires(missingBeans = AgentApiSettings.class)
    AgentApiSettings agentApiSettings() {
        return AgentApiSettings.from(System.getenv());
    }

    /** No worker shares this process: a waiting request polls the task row (TaskService does, every 250 ms). */
    @Singleton
    TaskCompletions taskCompletions() {
        return TaskCompletions.NONE;
    }
}
