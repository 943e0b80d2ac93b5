package dev.tabrunner.llm;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Which language-model providers this deployment uses, read from the environment (see README, "Agent tasks").
 * Provider API keys come from here or from the credential vault, never from a task body.
 *
 * @param baseUrl            the OpenAI-compatible endpoint ({@code TABRUNNER_LLM_BASE_URL}), or null
 * @param apiKey             its key ({@code TABRUNNER_LLM_API_KEY}), or null
 * @param apiKeyCredentialId a vault credential of the operator's tenant whose password is the key
 *                           ({@code TABRUNNER_LLM_API_KEY_CREDENTIAL_ID}); read at every call, so rotation needs
 *                           no restart
 * @param apiKeyHeader       the header carrying the key: {@code Authorization} (Bearer) or e.g. Azure's
 *                           {@code api-key}
 * @param bedrock            whether Amazon Bedrock is used ({@code TABRUNNER_LLM_PROVIDER=bedrock})
 * @param bedrockRegion      its region ({@code TABRUNNER_LLM_REGION}, else {@code AWS_REGION})
 * @param bedrockEndpoint    an endpoint override (a VPC endpoint), or null
 * @param bedrockModelPrefix prefix of cross-region inference profiles ({@code us.}, {@code eu.}, {@code apac.});
 *                           derived from the region unless {@code TABRUNNER_LLM_BEDROCK_MODEL_PREFIX} is set
 * @param defaultModel       the model used when a task names none ({@code TABRUNNER_LLM_MODEL})
 * @param vision             for a default model outside the catalog: whether it takes images
 * @param inputUsdPerMillion  price override of the default model, or null
 * @param outputUsdPerMillion price override of the default model, or null
 * @param maxAttempts        attempts per model call on throttling or provider faults
 * @param timeout            how long one model call may take
 */
public record LanguageModelSettings(URI baseUrl, String apiKey, String apiKeyCredentialId, String apiKeyHeader,
                                    boolean bedrock, String bedrockRegion, URI bedrockEndpoint,
                                    String bedrockModelPrefix, String defaultModel, boolean vision,
                                    BigDecimal inputUsdPerMillion, BigDecimal outputUsdPerMillion, int maxAttempts,
                                    Duration timeout) {
    public static final String OPERATOR_TENANT = "default";

    @Override
    public String toString() {
        return "LanguageModelSettings[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "none" : "set")
                + ", bedrock=" + bedrock + ", region=" + bedrockRegion + ", defaultModel=" + defaultModel + "]";
    }

    public boolean openAiCompatible() {
        return baseUrl != null;
    }

    public boolean configured() {
        return openAiCompatible() || bedrock;
    }

    /**
     * @throws IllegalArgumentException naming the variable when a setting is malformed
     */
    public static LanguageModelSettings from(Map<String, String> env) {
        String provider = get(env, "TABRUNNER_LLM_PROVIDER");
        String baseUrl = get(env, "TABRUNNER_LLM_BASE_URL");
        boolean bedrock = false;
        if (provider != null) {
            String p = provider.toLowerCase(Locale.ROOT);
            if (p.equals("bedrock")) {
                bedrock = true;
            } else if (!p.equals("openai")) {
                throw new IllegalArgumentException("TABRUNNER_LLM_PROVIDER must be 'openai' or 'bedrock', not '"
                        + provider + "'");
            } else if (baseUrl == null) {
                throw new IllegalArgumentException("TABRUNNER_LLM_PROVIDER=openai needs TABRUNNER_LLM_BASE_URL");
            }
        }
        URI base = null;
        if (baseUrl != null) {
            base = URI.create(baseUrl);
            if (base.getScheme() == null || !base.getScheme().matches("https?") || base.getHost() == null) {
                throw new IllegalArgumentException("TABRUNNER_LLM_BASE_URL must be an http(s) URL");
            }
        }
        String region = get(env, "TABRUNNER_LLM_REGION");
        if (region == null) {
            region = get(env, "AWS_REGION");
        }
        if (bedrock && region == null) {
            throw new IllegalArgumentException("TABRUNNER_LLM_PROVIDER=bedrock needs TABRUNNER_LLM_REGION"
                    + " (or AWS_REGION)");
        }
        String endpoint = get(env, "TABRUNNER_LLM_BEDROCK_ENDPOINT");
        String prefix = env.get("TABRUNNER_LLM_BEDROCK_MODEL_PREFIX");
        if (prefix == null) {
            prefix = region == null ? "" : region.startsWith("us-") ? "us." : region.startsWith("eu-") ? "eu."
                    : region.startsWith("ap-") ? "apac." : "";
        }
        String model = get(env, "TABRUNNER_LLM_MODEL");
        if (model == null) {
            model = base != null ? "gpt-4.1" : "claude-sonnet-4-20250514";
        }
        return new LanguageModelSettings(base, get(env, "TABRUNNER_LLM_API_KEY"),
                get(env, "TABRUNNER_LLM_API_KEY_CREDENTIAL_ID"),
                get(env, "TABRUNNER_LLM_API_KEY_HEADER") == null ? "Authorization"
                        : get(env, "TABRUNNER_LLM_API_KEY_HEADER"),
                bedrock, region, endpoint == null ? null : URI.create(endpoint), prefix.trim(), model,
                Boolean.parseBoolean(get(env, "TABRUNNER_LLM_VISION")),
                price(env, "TABRUNNER_LLM_PRICE_INPUT_PER_MTOK"), price(env, "TABRUNNER_LLM_PRICE_OUTPUT_PER_MTOK"),
                (int) number(env, "TABRUNNER_LLM_MAX_ATTEMPTS", 4),
                Duration.ofMillis(number(env, "TABRUNNER_LLM_TIMEOUT_MS", 120_000)));
    }

    private static String get(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static BigDecimal price(Map<String, String> env, String name) {
        String v = get(env, name);
        if (v == null) {
            return null;
        }
        try {
            BigDecimal p = new BigDecimal(v);
            if (p.signum() < 0) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative number of USD, not '" + v + "'");
        }
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String v = get(env, name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive whole number, not '" + v + "'");
        }
    }
}
