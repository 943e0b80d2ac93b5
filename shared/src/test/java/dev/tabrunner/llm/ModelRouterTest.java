package dev.tabrunner.llm;

import dev.tabrunner.action.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRouterTest {
    @Test
    void catalog_holdsTheSeedModels_withPrices() {
        for (String name : new String[]{"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gemini-2.5-flash",
                "claude-sonnet-4-20250514"}) {
            assertThat(ModelCatalog.BUILT_IN.find(name)).as(name).isPresent();
        }
        ModelInfo mini = ModelCatalog.BUILT_IN.find("gpt-4o-mini").orElseThrow();
        // 1M prompt tokens at $0.15 plus 1M completion tokens at $0.60
        assertThat(mini.cost(1_000_000, 1_000_000)).isEqualByComparingTo("0.75");
        assertThat(mini.cost(1234, 56)).isEqualByComparingTo("0.0002187");
        assertThat(ModelInfo.rounded(mini.cost(1234, 56))).isEqualByComparingTo("0.000219");
    }

    @Test
    void nothingConfigured_isReported() {
        ModelRouter router = new ModelRouter(LanguageModelSettings.from(Map.of()));
        assertThat(router.configured()).isFalse();
        assertThatThrownBy(() -> router.route(null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void openAiEndpoint_servesEveryCatalogModel_andTheDefault() {
        ModelRouter router = new ModelRouter(LanguageModelSettings.from(Map.of(
                "TABRUNNER_LLM_BASE_URL", "http://127.0.0.1:9/v1", "TABRUNNER_LLM_MODEL", "gpt-4o-mini")));
        assertThat(router.route(null).model().name()).isEqualTo("gpt-4o-mini");
        ModelRouter.Route claude = router.route("claude-sonnet-4-20250514");
        assertThat(claude.provider()).isEqualTo(ModelRouter.Provider.OPENAI_COMPATIBLE);
        assertThat(claude.providerModelId()).isEqualTo("claude-sonnet-4-20250514");
        assertThatThrownBy(() -> router.route("gpt-5-ultra"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("model");
                    assertThat(e.getMessage()).contains("gpt-4o-mini");
                });
    }

    @Test
    void localModel_outsideTheCatalog_isTheDefault_pricedAsConfigured() {
        ModelRouter router = new ModelRouter(LanguageModelSettings.from(Map.of(
                "TABRUNNER_LLM_BASE_URL", "http://127.0.0.1:11434/v1", "TABRUNNER_LLM_MODEL", "qwen2.5:7b",
                "TABRUNNER_LLM_PRICE_INPUT_PER_MTOK", "0.1", "TABRUNNER_LLM_VISION", "true")));
        ModelRouter.Route r = router.route(null);
        assertThat(r.providerModelId()).isEqualTo("qwen2.5:7b");
        assertThat(r.model().inputUsdPerMillion()).isEqualByComparingTo(new BigDecimal("0.1"));
        assertThat(r.model().outputUsdPerMillion()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(r.model().vision()).isTrue();
    }

    @Test
    void bedrock_servesClaudeThroughTheRegionsInferenceProfile_andRefusesGpt() {
        ModelRouter router = new ModelRouter(LanguageModelSettings.from(Map.of(
                "TABRUNNER_LLM_PROVIDER", "bedrock", "TABRUNNER_LLM_REGION", "eu-west-1")));
        ModelRouter.Route r = router.route(null);
        assertThat(r.provider()).isEqualTo(ModelRouter.Provider.BEDROCK);
        assertThat(r.providerModelId()).isEqualTo("eu.anthropic.claude-sonnet-4-20250514-v1:0");
        assertThatThrownBy(() -> router.route("gpt-4o")).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.getMessage()).contains("Bedrock"));
    }

    @Test
    void bothProviders_splitTheCatalog() {
        ModelRouter router = new ModelRouter(LanguageModelSettings.from(Map.of(
                "TABRUNNER_LLM_PROVIDER", "bedrock", "AWS_REGION", "us-east-1",
                "TABRUNNER_LLM_BASE_URL", "https://api.openai.com/v1")));
        assertThat(router.route("claude-sonnet-4-20250514").provider()).isEqualTo(ModelRouter.Provider.BEDROCK);
        assertThat(router.route("gpt-4.1").provider()).isEqualTo(ModelRouter.Provider.OPENAI_COMPATIBLE);
    }

    @Test
    void malformedSettings_nameTheVariable() {
        assertThatThrownBy(() -> LanguageModelSettings.from(Map.of("TABRUNNER_LLM_PROVIDER", "bedrock")))
                .hasMessageContaining("TABRUNNER_LLM_REGION");
        assertThatThrownBy(() -> LanguageModelSettings.from(Map.of("TABRUNNER_LLM_PROVIDER", "mystery")))
                .hasMessageContaining("TABRUNNER_LLM_PROVIDER");
        assertThatThrownBy(() -> LanguageModelSettings.from(Map.of("TABRUNNER_LLM_BASE_URL", "ftp://x")))
                .hasMessageContaining("TABRUNNER_LLM_BASE_URL");
        assertThat(LanguageModelSettings.from(Map.of("TABRUNNER_LLM_BASE_URL", "http://h/v1",
                "TABRUNNER_LLM_API_KEY", "sk-123")).toString()).doesNotContain("sk-123");
    }
}
