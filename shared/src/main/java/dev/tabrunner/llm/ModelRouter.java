package dev.tabrunner.llm;

import dev.tabrunner.action.InvalidRequestException;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Decides which configured provider serves a model name, and at what price. An OpenAI-compatible endpoint serves
 * every catalog model by its name; Bedrock serves the models that have a Bedrock id; with both configured, Bedrock
 * takes the models it can serve and the endpoint the rest.
 */
public final class ModelRouter {
    public enum Provider { OPENAI_COMPATIBLE, BEDROCK }

    /**
     * @param providerModelId what the provider calls the model (a Bedrock id or inference profile, or the name)
     */
    public record Route(ModelInfo model, Provider provider, String providerModelId) {
    }

    private final LanguageModelSettings settings;
    private final ModelCatalog catalog;

    public ModelRouter(LanguageModelSettings settings) {
        this.settings = settings;
        this.catalog = catalogFor(settings);
    }

    private static ModelCatalog catalogFor(LanguageModelSettings s) {
        ModelCatalog c = ModelCatalog.BUILT_IN;
        if (!s.configured()) {
            return c;
        }
        Optional<ModelInfo> known = c.find(s.defaultModel());
        // a model the catalog does not know (a local vLLM/Ollama model, another Bedrock model) is accepted as the
        // default, priced as configured (free when not configured)
        ModelInfo base = known.orElse(new ModelInfo(s.defaultModel(),
                s.openAiCompatible() ? null : s.defaultModel(), BigDecimal.ZERO, BigDecimal.ZERO, s.vision()));
        return c.with(new ModelInfo(base.name(), base.bedrockModelId(),
                s.inputUsdPerMillion() != null ? s.inputUsdPerMillion() : base.inputUsdPerMillion(),
                s.outputUsdPerMillion() != null ? s.outputUsdPerMillion() : base.outputUsdPerMillion(),
                base.vision()));
    }

    public boolean configured() {
        return settings.configured();
    }

    public LanguageModelSettings settings() {
        return settings;
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    /**
     * The route of a model, or of the default model when {@code requested} is null.
     *
     * @throws InvalidRequestException (field {@code model}) for an unknown model or one no configured provider
     *                                 serves
     * @throws IllegalStateException   when no provider is configured
     */
    public Route route(String requested) {
        if (!configured()) {
            throw new IllegalStateException("no language model provider is configured");
        }
        String name = requested == null ? settings.defaultModel() : requested;
        ModelInfo model = catalog.find(name).orElseThrow(() -> new InvalidRequestException("model",
                "unknown model '" + name + "'; this deployment offers " + names()));
        if (settings.bedrock() && model.bedrockModelId() != null) {
            String id = model.bedrockModelId();
            boolean catalogued = ModelCatalog.BUILT_IN.find(name).isPresent();
            // the built-in Claude ids need a cross-region inference profile for on-demand use
            return new Route(model, Provider.BEDROCK, catalogued ? settings.bedrockModelPrefix() + id : id);
        }
        if (settings.openAiCompatible()) {
            return new Route(model, Provider.OPENAI_COMPATIBLE, model.name());
        }
        throw new InvalidRequestException("model", "model '" + name + "' is not available on Amazon Bedrock, the"
                + " only provider configured; choose one of " + bedrockNames());
    }

    private String names() {
        TreeSet<String> names = new TreeSet<>();
        catalog.all().forEach(m -> {
            if (settings.openAiCompatible() || m.bedrockModelId() != null) {
                names.add(m.name());
            }
        });
        return names.toString();
    }

    private String bedrockNames() {
        TreeSet<String> names = new TreeSet<>();
        catalog.all().stream().filter(m -> m.bedrockModelId() != null).forEach(m -> names.add(m.name()));
        return names.toString();
    }
}
