package dev.tabrunner.infrastructure;

import java.nio.file.Path;
import java.util.Map;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: one {@link DataStack} (key, tables, bucket) and one {@link ApiStack} (functions, dispatch, HTTP API)
 * wired through their props. Run by the cdk CLI through {@code cdk.json}, or directly ({@code mvn compile exec:java}
 * in this folder), which writes the cloud assembly to {@code cdk.out} without the CLI, Docker or an AWS account.
 */
public final class TabrunnerApp {

    private TabrunnerApp() {
    }

    /** The stacks of one deployment. */
    public record Stacks(DataStack data, ApiStack api) {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        App app = new App(appProps(env, Path.of("cdk.json")));
        build(app, env);
        app.synth();
    }

    /**
     * Adds the stacks to an app.
     *
     * @param app the app, whose context holds the settings ({@link DeploymentConfig#fromContext})
     * @param env the process environment, for {@code CDK_DEFAULT_ACCOUNT} and {@code CDK_DEFAULT_REGION}
     * @throws IllegalArgumentException when a setting is invalid, the API jar is missing or the worker image
     *                                  directory holds no Dockerfile
     */
    public static Stacks build(App app, Map<String, String> env) {
        DeploymentConfig config = DeploymentConfig.fromContext(app.getNode(), env);
        StackProps.Builder stackProps = StackProps.builder();
        config.environment().ifPresent(stackProps::env);

        DataStack data = new DataStack(app, config.stackPrefix() + "-Data", new DataStack.Props(
                stackProps.description("Tabrunner data: KMS key, DynamoDB tables, artifacts bucket").build(),
                config));
        ApiStack api = new ApiStack(app, config.stackPrefix() + "-Api", new ApiStack.Props(
                stackProps.description("Tabrunner API: HTTP API, API functions, worker, dead-letter path").build(),
                config, data.key(), data.tables(), data.bucket()));
        return new Stacks(data, api);
    }

    /**
     * The cdk CLI passes cdk.json's context and an output directory (it always sets {@code CDK_OUTDIR}); without it
     * nobody does, so take them from the file and {@code cdk.out} as the CLI would.
     */
    static AppProps appProps(Map<String, String> env, Path cdkJson) {
        if (env.get("CDK_OUTDIR") != null) {
            return AppProps.builder().build();
        }
        return AppProps.builder().context(CdkJson.context(cdkJson)).outdir("cdk.out").build();
    }
}
