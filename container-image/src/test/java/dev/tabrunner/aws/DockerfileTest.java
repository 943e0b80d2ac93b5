package dev.tabrunner.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.tabrunner.engine.BrowserSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the worker image runs, checked without Docker: the entry point resolves to the handler, the environment
 * puts everything writable under /tmp and gives Chromium the flags Lambda needs, and the build context is small.
 */
class DockerfileTest {
    private final DockerfileModel docker = DockerfileModel.read();

    @Test
    void theEntryPoint_isTheRuntimeInterfaceClient_runningTheWorkerHandler() throws Exception {
        assertThat(docker.entrypoint()).containsExactly("java", "-cp", "/opt/tabrunner/lib/*",
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
        Class<?> ric = Class.forName(docker.entrypoint().get(3));
        assertThat(Modifier.isStatic(ric.getMethod("main", String[].class).getModifiers())).isTrue();

        assertThat(docker.cmd()).hasSize(1);
        String[] handler = docker.cmd().get(0).split("::");
        Class<?> handlerClass = Class.forName(handler[0]);
        assertThat(handlerClass).isEqualTo(WorkerHandler.class);
        assertThat(RequestStreamHandler.class).isAssignableFrom(handlerClass);
        assertThat(Modifier.isPublic(handlerClass.getConstructor().getModifiers())).isTrue();
        Method method = handlerClass.getMethod(handler[1], InputStream.class, OutputStream.class, Context.class);
        assertThat(method.getReturnType()).isEqualTo(void.class);
    }

    @Test
    void theRuntimeInterfaceClient_resolvesTheHandlerString() throws Exception {
        Class<?> handlerInfo = Class.forName("com.amazonaws.services.lambda.runtime.api.client.HandlerInfo");
        Object info = handlerInfo.getMethod("fromString", String.class, ClassLoader.class)
                .invoke(null, docker.cmd().get(0), getClass().getClassLoader());
        assertThat(handlerInfo.getField("clazz").get(info)).isEqualTo(WorkerHandler.class);
        assertThat(handlerInfo.getField("methodName").get(info)).isEqualTo("handleRequest");
    }

    @Test
    void everythingWritable_isUnderTmp_andPlaywrightUsesThePreinstalledDriver() {
        Map<String, String> env = docker.env();
        assertThat(env).containsEntry("HOME", "/tmp").containsEntry("TMPDIR", "/tmp")
                .containsEntry("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
                .containsEntry("TABRUNNER_CHROMIUM_PATH", BrowserSettings.HEADLESS_SHELL);
        assertThat(env.get("XDG_CONFIG_HOME")).startsWith("/tmp/");
        assertThat(env.get("XDG_CACHE_HOME")).startsWith("/tmp/");
        assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("-Djava.io.tmpdir=/tmp");
        String driverDir = env.get("PLAYWRIGHT_DRIVER_DIR");
        assertThat(driverDir).isEqualTo("/opt/playwright-driver");
        List<String> destinations = docker.copies().stream().map(c -> c[c.length - 1]).toList();
        assertThat(destinations).contains(driverDir + "/package/", driverDir + "/node");
        assertThat(docker.text()).contains("apt-get install").contains(" chromium-headless-shell ")
                .contains("fonts-liberation");
        // a Java 21 runtime (what the code is compiled for), first on the PATH the entry point's `java` is found on
        assertThat(docker.text()).contains("FROM eclipse-temurin:21-jre AS jre")
                .contains("COPY --from=jre /opt/java/openjdk /opt/java/openjdk");
        assertThat(env.get("PATH")).startsWith("/opt/java/openjdk/bin:");
    }

    @Test
    void chromium_getsTheFlagsLambdaNeeds_andNotSingleProcess() {
        BrowserSettings settings = BrowserSettings.from(docker.env());
        assertThat(settings.executable()).isEqualTo(Path.of(BrowserSettings.HEADLESS_SHELL));
        // no sandbox (no user namespaces on Lambda), a tiny /dev/shm, no zygote to fork from; --single-process is
        // left out: Playwright does not support it and one crashed page would take the browser down
        assertThat(settings.args()).contains("--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-zygote").doesNotContain("--single-process");
    }

    @Test
    void theBuildContext_isOnlyWhatTheDockerfileCopies() throws IOException {
        List<String> ignore = Files.readAllLines(Path.of(".dockerignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(ignore.get(0)).isEqualTo("*");
        for (String[] copy : docker.copies()) {
            String source = docker.resolve(copy[0]);
            assertThat(ignore).as("COPY " + source + " must be let into the context")
                    .anyMatch(l -> l.startsWith("!") && source.startsWith(l.substring(1).replaceAll("/$", "")));
        }
        assertThat(ignore).noneMatch(l -> l.contains("src") || l.contains("classes") || l.endsWith(".jar"));
    }
}
