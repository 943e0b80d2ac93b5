package dev.tabrunner.infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * Builds the app the way {@code cdk synth} does (cdk.json's context and feature flags), but with a throw-away API
 * jar and the test stand-in Dockerfile, so no test needs {@code functions} packaged, Docker or an AWS account.
 */
final class TestApps {

    private TestApps() {
    }

    /**
     * @param workDirectory a directory the test owns (a {@code @TempDir}): the stand-in jar and cdk.out go there
     * @param overrides     context keys to set on top of cdk.json's
     */
    static TabrunnerApp.Stacks build(Path workDirectory, Map<String, Object> overrides) {
        return TabrunnerApp.build(app(workDirectory, overrides), Map.of());
    }

    static App app(Path workDirectory, Map<String, Object> overrides) {
        Map<String, Object> context = new LinkedHashMap<>(CdkJson.context(Path.of("cdk.json")));
        context.put("apiJar", apiJar(workDirectory).toString());
        context.put("workerImageDir", workerImageDir().toString());
        context.putAll(overrides);
        return new App(AppProps.builder()
                .context(context)
                .outdir(workDirectory.resolve("cdk.out").toString())
                .build());
    }

    /** A stand-in for the shaded jar (an empty zip); an asset's content only matters to its hash. */
    static Path apiJar(Path workDirectory) {
        try {
            Path jar = workDirectory.resolve("tabrunner-api-lambda.jar");
            byte[] emptyZip = new byte[22];
            emptyZip[0] = 'P';
            emptyZip[1] = 'K';
            emptyZip[2] = 5;
            emptyZip[3] = 6;
            return Files.write(jar, emptyZip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path workerImageDir() {
        URL dockerfile = TestApps.class.getResource("/worker-image/Dockerfile");
        try {
            return Path.of(dockerfile.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
