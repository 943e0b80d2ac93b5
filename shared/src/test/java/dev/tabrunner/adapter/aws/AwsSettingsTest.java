package dev.tabrunner.adapter.aws;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsSettingsTest {
    @Test
    void defaults_andOverrides() {
        AwsSettings s = AwsSettings.from(Map.of("TABRUNNER_BUCKET", "b", "AWS_REGION", "eu-west-1",
                "TABRUNNER_WORKER_FUNCTION", "w", "TABRUNNER_DYNAMODB_ENDPOINT", "http://127.0.0.1:8000"));
        assertThat(s.tablePrefix()).isEqualTo("tabrunner-");
        assertThat(s.secretPrefix()).isEqualTo("tabrunner/");
        assertThat(s.kmsKeyId()).isNull();
        assertThat(s.dynamoDbEndpoint()).isEqualTo(URI.create("http://127.0.0.1:8000"));
        assertThat(s.s3Endpoint()).isNull();
        assertThat(s.workerFunction()).isEqualTo("w");
    }

    @Test
    void theWorker_handsTasksOnToItself_whenNoWorkerFunctionIsNamed() {
        AwsSettings s = AwsSettings.from(Map.of("AWS_LAMBDA_FUNCTION_NAME", "tabrunner-worker"));
        assertThat(s.workerFunction()).isEqualTo("tabrunner-worker");
    }

    @Test
    void missingRequiredValues_nameTheVariable() {
        assertThatThrownBy(() -> AwsSettings.required(AwsSettings.from(Map.of()).bucket(), "TABRUNNER_BUCKET"))
                .hasMessageContaining("TABRUNNER_BUCKET");
        assertThatThrownBy(() -> AwsSettings.from(Map.of("TABRUNNER_S3_ENDPOINT", "http://a b")))
                .hasMessageContaining("TABRUNNER_S3_ENDPOINT");
    }
}
