package dev.tabrunner.agent;

import com.microsoft.playwright.Page;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.adapter.openai.OpenAiCompatibleLanguageModel;
import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.json.Json;
import dev.tabrunner.llm.ModelCatalog;
import dev.tabrunner.llm.ModelInfo;
import dev.tabrunner.testing.ScriptedModelServer;
import dev.tabrunner.testing.ScriptedModelServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** highlight_elements: the step screenshots show the agent's elements outlined, and the page never keeps them. */
class ElementHighlighterTest {
    private static BrowserFixture browser;
    private final ScriptedModelServer model = ScriptedModelServer.start();
    private final ModelInfo mini = ModelCatalog.BUILT_IN.find("gpt-4o-mini").orElseThrow();

    @BeforeAll
    static void start() {
        browser = new BrowserFixture();
    }

    @AfterAll
    static void stop() {
        browser.close();
    }

    @AfterEach
    void closeModel() {
        assertThat(model.scriptFailures()).isEmpty();
        model.close();
    }

    /** Runs a one-step task on the fixture page and returns the step's screenshot. */
    private BufferedImage stepScreenshot(Page page, boolean highlight) throws IOException {
        var parsed = AgentTaskRequestParser.parse(Json.mapper().readTree("{\"taskDetails\":\"Look at the page\","
                + "\"startingUrl\":\"" + browser.url("/highlight.html") + "\"}"));
        var request = parsed.request().with(new BrowsingOptions(List.of(), false, null, highlight), null, false);
        model.then(r -> {
            // the model is shown the page as it is: no index labels in its text
            assertThat(ScriptedModelServer.lastUserText(r)).contains("not clicked").doesNotContain("tabrunner");
            return Reply.tool("done", "{\"message\":\"seen\"}");
        });
        RecordingHooks hooks = new RecordingHooks();
        var lm = new OpenAiCompatibleLanguageModel(URI.create(model.baseUrl()), () -> "k", null,
                HttpClient.newHttpClient(), 1, Duration.ofMillis(10), Duration.ofMillis(10));
        AgentOutcome outcome = new AgentLoop(request, parsed.secrets(), lm, mini, mini.name(), new DirectActionRunner(),
                hooks, Clock.systemUTC(), AgentSettings.DEFAULTS).run(page, AgentState.fresh());
        assertThat(outcome.completed()).as(String.valueOf(outcome.error())).isTrue();
        assertThat(hooks.artifacts).hasSize(1);
        return ImageIO.read(new ByteArrayInputStream(hooks.bytes.get(hooks.artifacts.get(0).id())));
    }

    @Test
    void highlightedScreenshot_outlinesTheElementInItsIndexColour_andLeavesNoOverlay() throws IOException {
        Page plainPage = browser.newPage();
        BufferedImage plain = stepScreenshot(plainPage, false);
        Page page = browser.newPage();
        BufferedImage highlighted = stepScreenshot(page, true);

        // the button (index 0) spans x 100..300, y 100..160; its outline is drawn 2 px outside, in red (index 0)
        int[] outlinePlain = averageRgb(plain, 98, 120, 2, 20);
        int[] outline = averageRgb(highlighted, 98, 120, 2, 20);
        assertThat(outlinePlain[0]).isGreaterThan(230);
        assertThat(outlinePlain[1]).isGreaterThan(230);
        assertThat(outline[0]).as("red").isGreaterThan(150);
        assertThat(outline[1]).as("green").isLessThan(outline[0] - 80);
        assertThat(outline[2]).as("blue").isLessThan(outline[0] - 80);
        // away from every element the two screenshots agree
        assertThat(averageRgb(highlighted, 600, 500, 20, 20)).containsExactly(averageRgb(plain, 600, 500, 20, 20));

        // the overlay was taken away: the DOM has none, clicks reach the page, the text is the page's own
        assertThat(page.evaluate("() => document.getElementById('tabrunner-highlights') === null")).isEqualTo(true);
        assertThat(page.evaluate("() => document.documentElement.outerHTML.includes('tabrunner-highlights')"))
                .isEqualTo(false);
        page.mouse().click(200, 130);
        assertThat(page.locator("#out").textContent()).isEqualTo("clicked");
        page.context().close();
        plainPage.context().close();
    }

    private static int[] averageRgb(BufferedImage image, int x0, int y0, int w, int h) {
        long r = 0;
        long g = 0;
        long b = 0;
        for (int x = x0; x < x0 + w; x++) {
            for (int y = y0; y < y0 + h; y++) {
                int rgb = image.getRGB(x, y);
                r += (rgb >> 16) & 0xff;
                g += (rgb >> 8) & 0xff;
                b += rgb & 0xff;
            }
        }
        int n = w * h;
        return new int[]{(int) (r / n), (int) (g / n), (int) (b / n)};
    }
}
