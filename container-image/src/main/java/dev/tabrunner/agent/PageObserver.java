package dev.tabrunner.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import dev.tabrunner.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What the model is shown of a page: its visible, interactive elements, each with an index that stays the same
 * while the document lives and a CSS selector that finds the element again on a fresh page (for replay), plus the
 * page's text, bounded. Only the main frame is read.
 */
public final class PageObserver {
    private static final String SCRIPT = load();

    private final int maxElements;
    private final int maxText;

    public PageObserver(int maxElements, int maxText) {
        this.maxElements = maxElements;
        this.maxText = maxText;
    }

    private static String load() {
        try (InputStream in = PageObserver.class.getResourceAsStream("observe.js")) {
            if (in == null) {
                throw new IllegalStateException("observe.js is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One interactive element. Absent attributes are null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Element(int index, String tag, String selector, String role, String type, String label,
                          String text, String placeholder, String href, String value, Boolean filled,
                          Boolean checked, List<String> options, String selectedOption, Boolean disabled,
                          Boolean offscreen) {
    }

    /** The page as observed. */
    public record Observation(String url, String title, List<Element> elements, int omitted, String text,
                              int textLength, int scrollY, int scrollHeight, int viewportHeight, int viewportWidth) {
        public Observation {
            elements = elements == null ? List.of() : List.copyOf(elements);
            text = text == null ? "" : text;
            title = title == null ? "" : title;
        }

        public Optional<Element> element(int index) {
            return elements.stream().filter(e -> e.index() == index).findFirst();
        }

        /**
         * The text shown to the model. {@code conceal} is applied to everything taken from the page, so a secret
         * the page shows (an echoed password, a URL carrying it) reaches the model as its placeholder.
         */
        public String render(UnaryOperator<String> conceal) {
            StringBuilder b = new StringBuilder();
            b.append("URL: ").append(conceal.apply(url)).append('\n');
            b.append("Title: ").append(conceal.apply(title)).append('\n');
            b.append("Scroll position: ").append(scrollY).append(" of ").append(scrollHeight)
                    .append(" px (viewport ").append(viewportWidth).append('x').append(viewportHeight)
                    .append(")\n");
            b.append("Interactive elements:\n");
            if (elements.isEmpty()) {
                b.append("(none)\n");
            }
            for (Element e : elements) {
                b.append(conceal.apply(describe(e))).append('\n');
            }
            if (omitted > 0) {
                b.append("(").append(omitted).append(" more elements not listed; scroll or use selectors)\n");
            }
            b.append("Page text:\n").append(conceal.apply(text));
            if (textLength > text.length()) {
                b.append("\n(… ").append(textLength - text.length())
                        .append(" more characters; use extract to read them)");
            }
            return b.toString();
        }

        private static String describe(Element e) {
            StringBuilder b = new StringBuilder();
            b.append('[').append(e.index()).append("] <").append(e.tag());
            if (e.type() != null) {
                b.append(" type=").append(e.type());
            }
            if (e.role() != null) {
                b.append(" role=").append(e.role());
            }
            b.append('>');
            appendQuoted(b, "", e.text());
            appendQuoted(b, " label=", e.label());
            appendQuoted(b, " placeholder=", e.placeholder());
            appendQuoted(b, " href=", e.href());
            appendQuoted(b, " value=", e.value());
            if (Boolean.TRUE.equals(e.filled())) {
                b.append(" (filled)");
            }
            if (e.checked() != null) {
                b.append(e.checked() ? " checked" : " unchecked");
            }
            if (e.options() != null) {
                b.append(" options=").append(e.options());
                appendQuoted(b, " selected=", e.selectedOption());
            }
            if (Boolean.TRUE.equals(e.disabled())) {
                b.append(" disabled");
            }
            if (Boolean.TRUE.equals(e.offscreen())) {
                b.append(" (off screen)");
            }
            return b.toString();
        }

        private static void appendQuoted(StringBuilder b, String prefix, String value) {
            if (value != null && !value.isEmpty()) {
                b.append(prefix.isEmpty() ? " " : prefix).append('"').append(value.replace("\n", " ")).append('"');
            }
        }
    }

    /** Observes the page's main frame. */
    public Observation observe(Page page) {
        Object raw = page.evaluate(SCRIPT, Map.of("maxElements", maxElements, "maxText", maxText));
        JsonNode node = Json.mapper().valueToTree(raw);
        return Json.mapper().convertValue(node, Observation.class);
    }
}
