package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.WebSocketRoute;
import dev.tabrunner.json.Json;
import dev.tabrunner.testing.NoisyJpeg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The viewer page in Chromium on a deployment whose frames come over a WebSocket (AWS, ADR 0040): given a
 * {@code frameSocket} by its status, it opens that socket instead of the event stream, draws the frame pushed over
 * it, sends a click over it in the page's pixels (the frame was shrunk to half), and says the view ended on
 * {@code end}. The page is served as the API serves it; the status and the socket are Playwright's stand-ins.
 */
class LiveViewSocketPageIT {
    private static final String BASE = "http://viewer.test/live/t1";
    private static Playwright playwright;
    private static Browser browser;

    @BeforeAll
    static void start() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Path chromium = List.of("/usr/lib/chromium/chromium-headless-shell", "/usr/bin/chromium").stream()
                .map(Path::of).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("no Chromium: install Debian's chromium-headless-shell"));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setHeadless(true)
                .setExecutablePath(chromium));
    }

    @AfterAll
    static void stop() {
        browser.close();
        playwright.close();
    }

    private static String viewerPage() throws IOException {
        try (InputStream in = LiveViewSocketPageIT.class.getResourceAsStream("/live-view.html")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aFramePushedOverTheSocket_isDrawn_andAClickGoesBackOverIt_inThePagesPixels() throws Exception {
        String html = viewerPage();
        byte[] frame = NoisyJpeg.of(200, 100, 1);
        List<String> sent = new CopyOnWriteArrayList<>();
        List<String> httpPaths = new CopyOnWriteArrayList<>();
        AtomicReference<WebSocketRoute> socket = new AtomicReference<>();
        AtomicReference<String> socketUrl = new AtomicReference<>();
        Page page = browser.newContext().newPage();
        page.route("http://viewer.test/**", (Route route) -> {
            String path = route.request().url().replaceFirst("^http://viewer\\.test", "").replaceFirst("\\?.*", "");
            httpPaths.add(path);
            if (path.equals("/live/t1")) {
                route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("text/html").setBody(html));
            } else if (path.equals("/live/t1/status")) {
                route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("application/json")
                        .setBody("{\"state\":\"running\",\"kind\":\"agent\",\"title\":\"watch me\",\"steps\":1,"
                                + "\"expiresAt\":\"" + Instant.now().plusSeconds(600) + "\",\"canAct\":true,"
                                + "\"frameSocket\":\"ws://socket.test/live?taskId=t1&token=tok\"}"));
            } else {
                route.fulfill(new Route.FulfillOptions().setStatus(404));
            }
        });
        page.routeWebSocket("ws://socket.test/**", ws -> {
            socketUrl.set(ws.url());
            socket.set(ws);
            ws.onMessage(m -> sent.add(m.text()));
            ws.send("{\"type\":\"frame\",\"scale\":0.5,\"jpeg\":\"" + Base64.getEncoder().encodeToString(frame)
                    + "\"}");
        });

        page.navigate(BASE + "?token=tok");
        page.waitForFunction("() => document.getElementById('screen').naturalWidth === 200");

        assertThat(socketUrl.get()).isEqualTo("ws://socket.test/live?taskId=t1&token=tok");
        assertThat(httpPaths).as("no event stream when the frames come over the socket")
                .doesNotContain("/live/t1/frames");
        assertThat((String) page.evaluate("() => document.getElementById('screen').src"))
                .isEqualTo("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(frame));

        // the frame is shown at its own size (the window has room): its centre is (100, 50) of a half-size frame
        var box = page.locator("#screen").boundingBox();
        page.mouse().click(box.x + box.width / 2, box.y + box.height / 2);
        page.waitForCondition(() -> !sent.isEmpty());
        JsonNode click = Json.mapper().readTree(sent.getFirst());
        assertThat(click.get("type").asText()).isEqualTo("click");
        assertThat(click.get("x").asDouble()).isCloseTo(200.0, org.assertj.core.data.Offset.offset(2.0));
        assertThat(click.get("y").asDouble()).isCloseTo(100.0, org.assertj.core.data.Offset.offset(2.0));
        assertThat(httpPaths).as("input went over the socket").doesNotContain("/live/t1/input");

        socket.get().send("{\"type\":\"end\"}");
        page.waitForFunction("() => document.body.classList.contains('ended')");
        page.context().close();
    }
}
