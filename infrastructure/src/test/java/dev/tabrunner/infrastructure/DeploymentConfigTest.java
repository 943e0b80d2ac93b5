package dev.tabrunner.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.logs.RetentionDays;

class DeploymentConfigTest {

    @TempDir
    Path outdir;

    @Test
    void withoutContext_theDefaultsAreTheDocumentedOnes_andTheStackIsEnvironmentAgnostic() {
        DeploymentConfig config = DeploymentConfig.fromContext(app(Map.of()).getNode(), Map.of());

        assertThat(config.stackPrefix()).isEqualTo("Tabrunner");
        assertThat(config.tablePrefix()).isEqualTo("tabrunner-");
        assertThat(config.functionPrefix()).isEqualTo("tabrunner-");
        assertThat(config.secretPrefix()).isEqualTo("tabrunner/");
        assertThat(config.apiJar()).isEqualTo("../functions/target/tabrunner-api-lambda.jar");
        assertThat(config.workerImageDir()).isEqualTo("../container-image");
        assertThat(config.architecture()).isEqualTo(Architecture.X86_64);
        assertThat(config.apiMemoryMb()).isEqualTo(1024);
        assertThat(config.workerMemoryMb()).isEqualTo(3008);
        assertThat(config.workerEphemeralStorageMb()).isEqualTo(2048);
        assertThat(config.workerReservedConcurrency()).hasValue(50);
        assertThat(config.workerRetryAttempts()).isEqualTo(2);
        assertThat(config.artifactRetentionDays()).isEqualTo(30);
        assertThat(config.logRetentionDays()).isEqualTo(30);
        assertThat(config.recoveryIntervalMinutes()).isEqualTo(1);
        assertThat(config.tenantRps()).isEqualTo(50);
        assertThat(config.tenantMaxSessions()).isEqualTo(50);
        assertThat(config.tenantMaxTasks()).isEqualTo(20);
        assertThat(config.egressAllow()).isEmpty();
        assertThat(config.llm()).isEqualTo(DeploymentConfig.LanguageModel.NONE);
        assertThat(config.llm().environment()).isEmpty();
        assertThat(config.environment()).isEmpty();
    }

    @Test
    void regionAndAccount_comeFromContext_elseFromTheCliEnvironment() {
        DeploymentConfig fromEnv = DeploymentConfig.fromContext(app(Map.of()).getNode(),
                Map.of("CDK_DEFAULT_ACCOUNT", "111122223333", "CDK_DEFAULT_REGION", "eu-west-1"));
        assertThat(fromEnv.environment()).hasValueSatisfying(env -> {
            assertThat(env.getAccount()).isEqualTo("111122223333");
            assertThat(env.getRegion()).isEqualTo("eu-west-1");
        });

        App app = app(Map.of("region", "us-east-2"));
        DeploymentConfig fromContext = DeploymentConfig.fromContext(app.getNode(),
                Map.of("CDK_DEFAULT_REGION", "eu-west-1"));
        assertThat(fromContext.environment()).hasValueSatisfying(env ->
                assertThat(env.getRegion()).isEqualTo("us-east-2"));
    }

    @Test
    void numbersFromCdkJson_andStringsFromTheCommandLine_areBothAccepted() {
        App app = app(Map.of("apiMemoryMb", 1536, "workerMemoryMb", "4096"));

        DeploymentConfig config = DeploymentConfig.fromContext(app.getNode(), Map.of());

        assertThat(config.apiMemoryMb()).isEqualTo(1536);
        assertThat(config.workerMemoryMb()).isEqualTo(4096);
    }

    @Test
    void valuesLambdaWouldRefuse_failAtSynth() {
        assertThatThrownBy(() -> fromContext(Map.of("workerMemoryMb", "20000")))
                .hasMessageContaining("workerMemoryMb must be between 128 and 10240");
        assertThatThrownBy(() -> fromContext(Map.of("workerRetryAttempts", "3")))
                .hasMessageContaining("workerRetryAttempts must be between 0 and 2");
        assertThatThrownBy(() -> fromContext(Map.of("architecture", "sparc")))
                .hasMessageContaining("x86_64 or arm64");
        assertThatThrownBy(() -> fromContext(Map.of("apiMemoryMb", "lots")))
                .hasMessageContaining("apiMemoryMb must be a whole number");
        assertThatThrownBy(() -> fromContext(Map.of("logRetentionDays", "31")))
                .hasMessageContaining("logRetentionDays must be one of");
        assertThatThrownBy(() -> fromContext(Map.of("recoveryIntervalMinutes", "0")))
                .hasMessageContaining("recoveryIntervalMinutes must be between 1 and 1440");
        assertThatThrownBy(() -> fromContext(Map.of("tenantMaxTasks", "0")))
                .hasMessageContaining("tenantMaxTasks must be between 1");
    }

    @Test
    void theStackPrefix_namesTablesFunctionsAndSecrets_unlessTheyAreSetThemselves() {
        DeploymentConfig staging = fromContext(Map.of("stackPrefix", "Staging2"));
        assertThat(staging.tablePrefix()).isEqualTo("staging2-");
        assertThat(staging.functionPrefix()).isEqualTo("staging2-");
        assertThat(staging.secretPrefix()).isEqualTo("staging2/");

        DeploymentConfig kept = fromContext(Map.of("stackPrefix", "Staging2", "tablePrefix", "tabrunner-"));
        assertThat(kept.tablePrefix()).isEqualTo("tabrunner-");
        assertThat(kept.functionPrefix()).isEqualTo("staging2-");
    }

    @Test
    void namesCloudFormationOrLambdaWouldRefuse_failAtSynth() {
        assertThatThrownBy(() -> fromContext(Map.of("stackPrefix", "2nd")))
                .hasMessageContaining("stackPrefix must match");
        assertThatThrownBy(() -> fromContext(Map.of("stackPrefix", "my_stack")))
                .hasMessageContaining("stackPrefix must match");
        // 52 characters and browsing-sync (13) would pass the 64 of a Lambda function name.
        assertThatThrownBy(() -> fromContext(Map.of("functionPrefix", "f".repeat(52))))
                .hasMessageContaining("functionPrefix must match");
        assertThatThrownBy(() -> fromContext(Map.of("tablePrefix", "tab runner-")))
                .hasMessageContaining("tablePrefix must match");
        assertThatThrownBy(() -> fromContext(Map.of("secretPrefix", "tab runner/")))
                .hasMessageContaining("secretPrefix must match");
    }

    @Test
    void workerReservedConcurrency_isFiftyByDefault_noneReservesNothing_andZeroIsRefused() {
        assertThat(fromContext(Map.of()).workerReservedConcurrency()).hasValue(50);
        assertThat(fromContext(Map.of("workerReservedConcurrency", "200")).workerReservedConcurrency())
                .hasValue(200);
        assertThat(fromContext(Map.of("workerReservedConcurrency", "none")).workerReservedConcurrency()).isEmpty();
        assertThat(fromContext(Map.of("workerReservedConcurrency", "NONE")).workerReservedConcurrency()).isEmpty();
        // Reserved concurrency 0 would throttle every worker invocation: no task would ever run.
        assertThatThrownBy(() -> fromContext(Map.of("workerReservedConcurrency", "0")))
                .hasMessageContaining("workerReservedConcurrency (or none) must be between 1 and 100000");
        assertThatThrownBy(() -> fromContext(Map.of("workerReservedConcurrency", "unlimited")))
                .hasMessageContaining("workerReservedConcurrency must be a whole number");
    }

    @Test
    void egressAllow_takesCommaSeparatedHostsAddressesAndBlocks_andRefusesOtherSeparators() {
        assertThat(fromContext(Map.of("egressAllow", " 10.0.0.0/8, *.corp.example,fd00::/8 ")).egressAllow())
                .isEqualTo("10.0.0.0/8, *.corp.example,fd00::/8");
        // The worker would refuse the whole list at start and fail every task; synth says so first.
        assertThatThrownBy(() -> fromContext(Map.of("egressAllow", "10.0.0.0/8 intranet.example")))
                .hasMessageContaining("egressAllow: '10.0.0.0/8 intranet.example'")
                .hasMessageContaining("separate entries with commas");
        assertThatThrownBy(() -> fromContext(Map.of("egressAllow", "a.example;b.example")))
                .hasMessageContaining("egressAllow: 'a.example;b.example'");
    }

    @Test
    void llmKeys_becomeTheWorkersVariables_onlyWhenSet() {
        DeploymentConfig.LanguageModel llm = fromContext(Map.of(
                "llmProvider", " OpenAI ", "llmBaseUrl", "http://10.0.0.5:11434/v1", "llmModel", "",
                "llmApiKeyCredentialId", "cred_1", "llmRegion", "")).llm();

        assertThat(llm.bedrock()).isFalse();
        assertThat(llm.environment()).containsExactly(
                Map.entry("TABRUNNER_LLM_PROVIDER", "openai"),
                Map.entry("TABRUNNER_LLM_BASE_URL", "http://10.0.0.5:11434/v1"),
                Map.entry("TABRUNNER_LLM_API_KEY_CREDENTIAL_ID", "cred_1"));
        assertThat(fromContext(Map.of("llmProvider", "bedrock", "llmRegion", "us-gov-west-1")).llm().bedrock())
                .isTrue();
    }

    @Test
    void llmSettingsTheFunctionsWouldRefuse_failAtSynth() {
        assertThatThrownBy(() -> fromContext(Map.of("llmProvider", "anthropic")))
                .hasMessageContaining("llmProvider must be openai, bedrock or empty, got anthropic");
        assertThatThrownBy(() -> fromContext(Map.of("llmProvider", "openai")))
                .hasMessageContaining("llmProvider=openai needs llmBaseUrl");
        assertThatThrownBy(() -> fromContext(Map.of("llmBaseUrl", "ftp://llm.example/v1")))
                .hasMessageContaining("llmBaseUrl must be an http(s) URL");
        assertThatThrownBy(() -> fromContext(Map.of("llmProvider", "bedrock", "llmRegion", "Frankfurt")))
                .hasMessageContaining("llmRegion must be a region name");
        assertThatThrownBy(() -> fromContext(Map.of("llmApiKeyCredentialId", "my key")))
                .hasMessageContaining("llmApiKeyCredentialId must be a credential id");
    }

    @Test
    void anApiKeyInContext_isRefused_withoutRepeatingIt_andPointsAtTheVault() {
        assertThatThrownBy(() -> fromContext(Map.of("llmApiKey", "sk-secret-value")))
                .hasMessageContaining("llmApiKeyCredentialId")
                .hasMessageContaining("POST /browser/credentials")
                .hasMessageNotContaining("sk-secret-value");
    }

    @Test
    void logRetention_mapsDaysToCloudWatchPeriods() {
        assertThat(LogRetention.of(30)).isEqualTo(RetentionDays.ONE_MONTH);
        assertThat(LogRetention.of(1)).isEqualTo(RetentionDays.ONE_DAY);
        assertThat(LogRetention.of(3653)).isEqualTo(RetentionDays.TEN_YEARS);
    }

    private DeploymentConfig fromContext(Map<String, Object> context) {
        return DeploymentConfig.fromContext(app(context).getNode(), Map.of());
    }

    private App app(Map<String, Object> context) {
        return new App(AppProps.builder().context(context).outdir(outdir.toString()).build());
    }
}
