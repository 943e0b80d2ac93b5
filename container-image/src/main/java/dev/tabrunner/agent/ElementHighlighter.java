package dev.tabrunner.agent;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code highlight_elements} option: the elements the agent is given are outlined and labelled with their
 * indices in the screenshots it takes, as browser-use does. The overlay exists only while the screenshot is taken,
 * so clicks, the page text and everything else the agent reads see the page as it is.
 */
final class ElementHighlighter {
    private static final Logger LOG = LoggerFactory.getLogger(ElementHighlighter.class);
    private static final String SCRIPT = load();

    private ElementHighlighter() {
    }

    private static String load() {
        try (InputStream in = ElementHighlighter.class.getResourceAsStream("highlight.js")) {
            if (in == null) {
                throw new IllegalStateException("highlight.js is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Takes {@code screenshot} with the observation's elements outlined. A page that refuses the overlay (it is
     * navigating, or its scripts are blocked) is shot as it is.
     */
    static byte[] withHighlights(Page page, PageObserver.Observation observation, Supplier<byte[]> screenshot) {
        List<Integer> indices = observation.elements().stream().map(PageObserver.Element::index).toList();
        boolean shown = false;
        try {
            page.evaluate(SCRIPT, Map.of("show", true, "indices", indices));
            shown = true;
        } catch (PlaywrightException e) {
            LOG.debug("no highlights on this screenshot: {}", e.getMessage());
        }
        try {
            return screenshot.get();
        } finally {
            if (shown) {
                try {
                    page.evaluate(SCRIPT, Map.of("show", false, "indices", List.of()));
                } catch (PlaywrightException e) {
                    // the page navigated away meanwhile, and the overlay with it
                    LOG.debug("overlay not removed: {}", e.getMessage());
                }
            }
        }
    }
}
