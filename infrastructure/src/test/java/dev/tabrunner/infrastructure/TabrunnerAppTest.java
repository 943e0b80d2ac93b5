package dev.tabrunner.infrastructure;

import static dev.tabrunner.infrastructure.CfnTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;

/** The app end to end: a cloud assembly on disk, context overrides, and the errors an operator can run into. */
class TabrunnerAppTest {

    @Test
    void synth_writesBothStacks_andTheAssetsCdkDeployWouldPublish(@TempDir Path directory) throws Exception {
        App app = TestApps.app(directory, Map.of());
        TabrunnerApp.build(app, Map.of());

        CloudAssembly assembly = app.synth();

        assertThat(assembly.getStacks()).extracting(stack -> stack.getStackName())
                .containsExactlyInAnyOrder("Tabrunner-Data", "Tabrunner-Api");
        Path outdir = Path.of(assembly.getDirectory());
        assertThat(outdir.resolve("Tabrunner-Data.template.json")).isRegularFile();
        assertThat(outdir.resolve("Tabrunner-Api.template.json")).isRegularFile();

        Map<String, Object> assets = new ObjectMapper().readValue(
                outdir.resolve("Tabrunner-Api.assets.json").toFile(), Map.class);
        // The worker image is described, not built: cdk deploy builds it from the staged directory.
        Map<String, Object> images = map(assets.get("dockerImages"));
        assertThat(images).hasSize(1);
        Map<String, Object> imageSource = map(map(images.values().iterator().next()).get("source"));
        assertThat(outdir.resolve(imageSource.get("directory").toString()).resolve("Dockerfile")).isRegularFile();
        assertThat(imageSource).containsEntry("platform", "linux/amd64")
                .containsEntry("dockerBuildArgs", Map.of("NODE_PLATFORM", "linux"));
        // The API jar travels as-is (a .jar is already an archive Lambda accepts).
        assertThat(map(assets.get("files")).values()).anySatisfy(file -> {
            Map<String, Object> source = map(map(file).get("source"));
            assertThat(source.get("path").toString()).endsWith(".jar");
            assertThat(source).containsEntry("packaging", "file");
        });
    }

    @Test
    void contextOverrides_asTheCliPassesThem_reachTheTemplates(@TempDir Path directory) {
        // `cdk deploy -c key=value` hands every value over as a string.
        TabrunnerApp.Stacks stacks = TestApps.build(directory, Map.ofEntries(
                Map.entry("stackPrefix", "Acme"),
                Map.entry("tablePrefix", "acme-"),
                Map.entry("functionPrefix", "acme-"),
                Map.entry("secretPrefix", "acme/"),
                Map.entry("architecture", "arm64"),
                Map.entry("apiMemoryMb", "2048"),
                Map.entry("workerMemoryMb", "4096"),
                Map.entry("workerReservedConcurrency", "5"),
                Map.entry("workerRetryAttempts", "1"),
                Map.entry("logRetentionDays", "7"),
                Map.entry("artifactRetentionDays", "3"),
                Map.entry("recoveryIntervalMinutes", "5"),
                Map.entry("tenantRps", "7"),
                Map.entry("tenantMaxSessions", "8"),
                Map.entry("tenantMaxTasks", "9"),
                Map.entry("egressAllow", "10.1.0.0/16,*.corp.example")));

        assertThat(stacks.data().getStackName()).isEqualTo("Acme-Data");
        assertThat(stacks.api().getStackName()).isEqualTo("Acme-Api");
        Template data = Template.fromStack(stacks.data());
        data.hasResourceProperties("AWS::DynamoDB::Table", Map.of("TableName", "acme-tasks"));
        data.hasResourceProperties("AWS::S3::Bucket", Map.of("LifecycleConfiguration", Map.of("Rules",
                Match.arrayWith(List.of(Match.objectLike(Map.of("ExpirationInDays", 3)))))));

        Template api = Template.fromStack(stacks.api());
        api.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "FunctionName", "acme-worker",
                "MemorySize", 4096,
                "ReservedConcurrentExecutions", 5,
                "Architectures", List.of("arm64")));
        api.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "FunctionName", "acme-tasks",
                "MemorySize", 2048,
                "Architectures", List.of("arm64")));
        api.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of("MaximumRetryAttempts", 1));
        api.hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 7));
        api.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "FunctionName", "acme-sessions",
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "TABRUNNER_TENANT_RPS", "7",
                        "TABRUNNER_TENANT_MAX_SESSIONS", "8",
                        "TABRUNNER_TENANT_MAX_TASKS", "9")))));
        api.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "FunctionName", "acme-worker",
                "Environment", Map.of("Variables", Match.objectLike(Map.of(
                        "TABRUNNER_EGRESS_ALLOW", "10.1.0.0/16,*.corp.example")))));
        api.hasResourceProperties("AWS::Lambda::Function", Map.of(
                "FunctionName", "acme-recovery", "Architectures", List.of("arm64")));
        api.hasResourceProperties("AWS::Events::Rule", Map.of(
                "ScheduleExpression", "rate(5 minutes)",
                "Targets", List.of(Match.objectLike(Map.of("RetryPolicy", Map.of(
                        "MaximumEventAgeInSeconds", 300, "MaximumRetryAttempts", 2))))));
        api.hasResourceProperties("AWS::Lambda::EventInvokeConfig", Map.of(
                "MaximumRetryAttempts", 0, "MaximumEventAgeInSeconds", 300));
        assertThat(api.toJSON().toString()).contains(":secret:acme/*").doesNotContain("tabrunner-", "tabrunner/");
    }

    @Test
    void arm64_buildsTheImageForArm_withTheDriversArmNode(@TempDir Path directory) throws Exception {
        App app = TestApps.app(directory, Map.of("architecture", "arm64"));
        TabrunnerApp.build(app, Map.of());

        Map<String, Object> imageSource = workerImageSource(app.synth());

        // The Dockerfile's COPY of driver/${NODE_PLATFORM}/node then takes the arm64 binary Maven extracted.
        assertThat(imageSource).containsEntry("platform", "linux/arm64")
                .containsEntry("dockerBuildArgs", Map.of("NODE_PLATFORM", "linux-arm64"));
    }

    @Test
    void aWorkerBuildForTheOtherPlatform_failsSynth_withTheMavenCommandThatFixesIt(@TempDir Path directory)
            throws Exception {
        Path image = Files.createDirectories(directory.resolve("image"));
        Files.copy(TestApps.workerImageDir().resolve("Dockerfile"), image.resolve("Dockerfile"));
        Path driver = image.resolve("target/worker/playwright-driver/driver");
        Files.createDirectories(driver.resolve("linux"));
        Files.writeString(driver.resolve("linux/node"), "x86-64 ELF");

        App arm = TestApps.app(directory, Map.of("architecture", "arm64", "workerImageDir", image.toString()));
        assertThatThrownBy(() -> TabrunnerApp.build(arm, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no Playwright node for linux-arm64")
                .hasMessageContaining("-Dworker.node.platform=linux-arm64");

        // The build it was made for passes.
        Path x86 = Files.createDirectories(directory.resolve("x86"));
        TabrunnerApp.build(TestApps.app(x86, Map.of("workerImageDir", image.toString())), Map.of());
    }

    @Test
    void theWorkerDockerfile_copiesTheNodeTheBuildArgumentNames_andMavenExtractsItByPlatform() throws Exception {
        // The contract the build argument relies on, read from the container-image module itself.
        String dockerfile = Files.readString(Path.of("../container-image/Dockerfile"));
        assertThat(dockerfile).containsPattern("(?m)^ARG NODE_PLATFORM=linux$")
                .containsPattern("(?m)^COPY target/worker/playwright-driver/driver/\\$\\{NODE_PLATFORM}/node ");
        String pom = Files.readString(Path.of("../container-image/pom.xml"));
        assertThat(pom).contains("<includes>driver/${worker.node.platform}/node</includes>");
        String dockerignore = Files.readString(Path.of("../container-image/.dockerignore"));
        assertThat(dockerignore).contains("!target/worker/playwright-driver/driver/linux/node",
                "!target/worker/playwright-driver/driver/linux-arm64/node");
    }

    @Test
    void theStackPrefixAlone_namesANewDeploymentBesideRetainedTables(@TempDir Path directory) {
        TabrunnerApp.Stacks stacks = TestApps.build(directory, Map.of("stackPrefix", "Staging"));

        Template data = Template.fromStack(stacks.data());
        data.hasResourceProperties("AWS::DynamoDB::Table", Map.of("TableName", "staging-tasks"));
        Template api = Template.fromStack(stacks.api());
        api.hasResourceProperties("AWS::Lambda::Function", Map.of("FunctionName", "staging-worker"));
        api.hasResourceProperties("AWS::Lambda::Function", Map.of("FunctionName", "staging-browsing-sync"));
        assertThat(api.toJSON().toString()).contains(":secret:staging/*")
                .doesNotContain("tabrunner-", "tabrunner/");
        assertThat(data.toJSON().toString()).doesNotContain("tabrunner-");
    }

    @Test
    void aMissingApiJar_failsSynth_withTheCommandThatBuildsIt(@TempDir Path directory) {
        App app = TestApps.app(directory, Map.of("apiJar", directory.resolve("absent.jar").toString()));

        assertThatThrownBy(() -> TabrunnerApp.build(app, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("absent.jar")
                .hasMessageContaining("mvn -B -ntp -pl functions -am package -DskipTests");
    }

    @Test
    void aWorkerImageDirectoryWithoutDockerfile_failsSynth(@TempDir Path directory) {
        App app = TestApps.app(directory, Map.of("workerImageDir", directory.toString()));

        assertThatThrownBy(() -> TabrunnerApp.build(app, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no Dockerfile in " + directory);
    }

    @Test
    void withoutTheCli_theAppReadsCdkJson_andWritesToCdkOut() {
        AppProps props = TabrunnerApp.appProps(Map.of(), Path.of("cdk.json"));

        assertThat(props.getOutdir()).isEqualTo("cdk.out");
        assertThat(props.getContext())
                .containsEntry("stackPrefix", "Tabrunner")
                .containsEntry("@aws-cdk/core:defaultCrossStackReferences", "strong");
    }

    @Test
    void underTheCli_theAppLeavesContextAndOutputToIt() {
        AppProps props = TabrunnerApp.appProps(Map.of("CDK_OUTDIR", "/tmp/x"), Path.of("cdk.json"));

        assertThat(props.getOutdir()).isNull();
        assertThat(props.getContext()).isNull();
    }

    @Test
    void cdkJson_runsTheAppThroughMaven() throws Exception {
        Map<String, Object> cdkJson = new ObjectMapper().readValue(Files.readString(Path.of("cdk.json")), Map.class);

        assertThat(cdkJson.get("app").toString()).startsWith("mvn ").contains("exec:java");
    }

    private static Map<String, Object> workerImageSource(CloudAssembly assembly) throws Exception {
        Map<String, Object> assets = new ObjectMapper().readValue(
                Path.of(assembly.getDirectory()).resolve("Tabrunner-Api.assets.json").toFile(), Map.class);
        Map<String, Object> images = map(assets.get("dockerImages"));
        assertThat(images).hasSize(1);
        return map(map(images.values().iterator().next()).get("source"));
    }
}
