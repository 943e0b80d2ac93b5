package dev.tabrunner.adapter;

import dev.tabrunner.adapter.bedrock.BedrockConverseLanguageModel;
import dev.tabrunner.adapter.openai.OpenAiCompatibleLanguageModel;
import dev.tabrunner.domain.CredentialSecret;
import dev.tabrunner.llm.LanguageModel;
import dev.tabrunner.llm.LanguageModelException;
import dev.tabrunner.llm.LanguageModelSettings;
import dev.tabrunner.llm.LanguageModels;
import dev.tabrunner.llm.ModelRouter;
import dev.tabrunner.port.CredentialVault;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClientBuilder;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Builds the provider clients the {@link ModelRouter} routes to, once each, from the deployment's settings. The
 * OpenAI-compatible key is read from the settings or, at every call, from the credential vault.
 */
public final class LanguageModelClients implements LanguageModels {
    private final LanguageModelSettings settings;
    private final ModelRouter router;
    private final CredentialVault vault;
    private OpenAiCompatibleLanguageModel openAi;
    private BedrockRuntimeClient bedrockClient;
    private BedrockConverseLanguageModel bedrock;

    public LanguageModelClients(LanguageModelSettings settings, CredentialVault vault) {
        this.settings = settings;
        this.router = new ModelRouter(settings);
        this.vault = vault;
    }

    @Override
    public ModelRouter router() {
        return router;
    }

    @Override
    public synchronized LanguageModel client(ModelRouter.Route route) {
        return switch (route.provider()) {
            case OPENAI_COMPATIBLE -> {
                if (openAi == null) {
                    openAi = new OpenAiCompatibleLanguageModel(settings.baseUrl(), apiKey(), settings.apiKeyHeader(),
                            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                            settings.maxAttempts(), Duration.ofMillis(500), Duration.ofSeconds(20));
                }
                yield openAi;
            }
            case BEDROCK -> {
                if (bedrock == null) {
                    BedrockRuntimeClientBuilder b = BedrockRuntimeClient.builder()
                            .region(Region.of(settings.bedrockRegion()))
                            .httpClientBuilder(ApacheHttpClient.builder())
                            .overrideConfiguration(c -> c.apiCallAttemptTimeout(settings.timeout())
                                    .retryStrategy(r -> r.maxAttempts(settings.maxAttempts())));
                    if (settings.bedrockEndpoint() != null) {
                        b.endpointOverride(settings.bedrockEndpoint());
                    }
                    bedrockClient = b.build();
                    bedrock = new BedrockConverseLanguageModel(bedrockClient);
                }
                yield bedrock;
            }
        };
    }

    private Supplier<String> apiKey() {
        if (settings.apiKeyCredentialId() == null) {
            String key = settings.apiKey();
            return () -> key;
        }
        String id = settings.apiKeyCredentialId();
        return () -> vault.get(LanguageModelSettings.OPERATOR_TENANT, id).map(CredentialSecret::password)
                .orElseThrow(() -> new LanguageModelException("the model API key credential " + id
                        + " is not in the vault (TABRUNNER_LLM_API_KEY_CREDENTIAL_ID)", 0, false, null));
    }

    @Override
    public synchronized void close() {
        if (bedrockClient != null) {
            bedrockClient.close();
        }
    }
}
