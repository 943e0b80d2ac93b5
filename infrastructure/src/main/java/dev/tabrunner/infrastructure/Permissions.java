package dev.tabrunner.infrastructure;

import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Grant;
import software.amazon.awscdk.services.iam.GrantOnPrincipalOptions;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;

import java.util.List;
import java.util.Map;

/**
 * The grants written by hand: Secrets Manager and Bedrock have no constructs to call {@code grant*} on (the vault's
 * secrets are created at run time, models are not resources of the app), so the statements are built here, each
 * scoped to the narrowest names the code uses.
 */
final class Permissions {
    private Permissions() {
    }

    static final List<String> SECRET_WRITE_ACTIONS = List.of(
            "secretsmanager:CreateSecret",
            "secretsmanager:PutSecretValue",
            "secretsmanager:UpdateSecret",
            "secretsmanager:DeleteSecret",
            "secretsmanager:DescribeSecret",
            "secretsmanager:TagResource");
    static final List<String> SECRET_READ_ACTIONS = List.of("secretsmanager:GetSecretValue");
    /**
     * What {@code SecretsManagerCredentialVault.put} and {@code delete} call for an agent task's secrets (create,
     * or a new value when the create is retried), plus what Secrets Manager checks alongside: tags given with a
     * create, and the description it reads. No {@code UpdateSecret}: a task's secret never changes its settings.
     */
    static final List<String> TASK_SECRET_WRITE_ACTIONS = List.of(
            "secretsmanager:CreateSecret",
            "secretsmanager:PutSecretValue",
            "secretsmanager:DeleteSecret",
            "secretsmanager:DescribeSecret",
            "secretsmanager:TagResource");
    /** The worker discards a task's secrets when the task ends ({@code TaskEnds.ended}). */
    static final List<String> TASK_SECRET_DISCARD_ACTIONS = List.of("secretsmanager:DeleteSecret");
    static final List<String> BEDROCK_ACTIONS = List.of("bedrock:InvokeModel");

    /**
     * @param secretNames a secret name pattern; Secrets Manager appends {@code -} and six random characters to a
     *                    secret's name in its ARN, so a pattern ends with {@code *}
     */
    static void grantSecrets(Stack stack, IGrantable grantee, List<String> actions, String secretNames) {
        Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(actions)
                .resourceArns(List.of(stack.formatArn(ArnComponents.builder()
                        .service("secretsmanager")
                        .resource("secret")
                        .resourceName(secretNames)
                        .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                        .build())))
                .build());
    }

    /**
     * Agent tasks' secrets, {@code <secretPrefix><tenantId>/task-<taskId>} ({@code TaskSecretsVault}). Tenant ids
     * hold no {@code /} and credential ids are UUIDs, so no credential's secret matches.
     */
    static String taskSecrets(DeploymentConfig config) {
        return config.secretPrefix() + "*/task-*";
    }

    /**
     * Converse is authorised by {@code bedrock:InvokeModel} (there is no {@code bedrock:Converse} action); the worker
     * calls it without streaming. Model ids are cross-region inference profiles ({@code us.…}) unless
     * {@code TABRUNNER_LLM_BEDROCK_MODEL_PREFIX} is empty, and Bedrock then checks the foundation model in whichever
     * region of the profile's geography serves the call, so the foundation model is granted in every region, but
     * only through this account's inference profiles in the configured region.
     */
    static void grantBedrockInvoke(Stack stack, IGrantable grantee, DeploymentConfig.LanguageModel llm) {
        String region = llm.region().isEmpty() ? stack.getRegion() : llm.region();
        String inferenceProfiles = stack.formatArn(ArnComponents.builder()
                .service("bedrock")
                .region(region)
                .resource("inference-profile")
                .resourceName("*")
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
        // Foundation models belong to no account: their ARNs have an empty account field.
        String foundationModelsHere = stack.formatArn(ArnComponents.builder()
                .service("bedrock")
                .region(region)
                .account("")
                .resource("foundation-model")
                .resourceName("*")
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
        String foundationModelsAnywhere = stack.formatArn(ArnComponents.builder()
                .service("bedrock")
                .region("*")
                .account("")
                .resource("foundation-model")
                .resourceName("*")
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME)
                .build());
        Grant.addToPrincipal(GrantOnPrincipalOptions.builder()
                .grantee(grantee)
                .actions(BEDROCK_ACTIONS)
                .resourceArns(List.of(foundationModelsHere, inferenceProfiles))
                .build());
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(BEDROCK_ACTIONS)
                .resources(List.of(foundationModelsAnywhere))
                .conditions(Map.of("ArnLike", Map.of("bedrock:InferenceProfileArn", inferenceProfiles)))
                .build());
    }


    /**
     * An API key's last use ({@code DynamoDbApiKeyStore.touch}): an update of that one attribute of a key row, which
     * lets a function that must not issue keys record their use.
     */
    static void grantKeyUse(software.amazon.awscdk.services.dynamodb.ITable apiKeys, IGrantable... grantees) {
        for (IGrantable grantee : grantees) {
            grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("dynamodb:UpdateItem"))
                    .resources(List.of(apiKeys.getTableArn()))
                    .conditions(Map.of("ForAllValues:StringEquals",
                            Map.of("dynamodb:Attributes", List.of("id", "lastUsedAt"))))
                    .build());
        }
    }
}
