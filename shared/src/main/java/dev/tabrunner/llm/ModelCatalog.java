package dev.tabrunner.llm;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The models the API accepts by name, with their list prices.
 *
 * <p>Prices are the providers' public on-demand list prices for text in USD per million tokens, taken from
 * openai.com/api/pricing (GPT models), ai.google.dev/gemini-api/docs/pricing (Gemini 2.5 Flash, GA price of
 * 2025-06-17) and aws.amazon.com/bedrock/pricing (Claude Sonnet 4, same as anthropic.com/pricing), as read in
 * July 2025. They are what {@code usage.cost} is computed from; they are not a bill. Operators with other rates
 * override the default model's price with {@code TABRUNNER_LLM_PRICE_INPUT_PER_MTOK} /
 * {@code TABRUNNER_LLM_PRICE_OUTPUT_PER_MTOK}.
 */
public final class ModelCatalog {
    /** The seeds' model list (seed 002 {@code llm_model}). */
    public static final ModelCatalog BUILT_IN = new ModelCatalog(new LinkedHashMap<>())
            .with(model("gpt-4o", null, "2.50", "10.00"))
            .with(model("gpt-4o-mini", null, "0.15", "0.60"))
            .with(model("gpt-4.1", null, "2.00", "8.00"))
            .with(model("gpt-4.1-mini", null, "0.40", "1.60"))
            .with(model("gemini-2.5-flash", null, "0.30", "2.50"))
            .with(model("claude-sonnet-4-20250514", "anthropic.claude-sonnet-4-20250514-v1:0", "3.00", "15.00"));

    private final Map<String, ModelInfo> models;

    private ModelCatalog(Map<String, ModelInfo> models) {
        this.models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
    }

    private static ModelInfo model(String name, String bedrockId, String input, String output) {
        return new ModelInfo(name, bedrockId, new BigDecimal(input), new BigDecimal(output), true);
    }

    /** A catalog with {@code model} added, or replacing the entry of the same name. */
    public ModelCatalog with(ModelInfo model) {
        Map<String, ModelInfo> copy = new LinkedHashMap<>(models);
        copy.put(model.name(), model);
        return new ModelCatalog(copy);
    }

    public Optional<ModelInfo> find(String name) {
        return Optional.ofNullable(models.get(name));
    }

    public Collection<ModelInfo> all() {
        return models.values();
    }
}
