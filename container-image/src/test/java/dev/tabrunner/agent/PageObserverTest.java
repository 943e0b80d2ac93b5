package dev.tabrunner.agent;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class PageObserverTest {
    private static BrowserFixture browser;
    private final PageObserver observer = new PageObserver(250, 6000);

    @BeforeAll
    static void start() {
        browser = new BrowserFixture();
    }

    @AfterAll
    static void stop() {
        browser.close();
    }

    private Page fixturePage() {
        Page page = browser.newPage();
        page.navigate(browser.url("/observe.html"));
        page.getByText("Arrived later").waitFor();
        return page;
    }

    private static PageObserver.Element byText(PageObserver.Observation o, String text) {
        return o.elements().stream().filter(e -> text.equals(e.label()) || text.equals(e.text())
                || text.equals(e.href())).findFirst().orElseThrow(() -> new AssertionError("no element " + text));
    }

    @Test
    void listsVisibleInteractiveElements_withLabelsValuesAndOptions() {
        PageObserver.Observation o = observer.observe(fixturePage());
        assertThat(o.title()).isEqualTo("Observation fixture");
        PageObserver.Element search = byText(o, "Search");
        assertThat(search.tag()).isEqualTo("input");
        assertThat(search.placeholder()).isEqualTo("Search the shop");
        assertThat(search.value()).isEqualTo("keyboards");
        assertThat(search.selector()).isEqualTo("#q");
        PageObserver.Element size = byText(o, "Size");
        assertThat(size.options()).containsExactly("Small", "Large");
        assertThat(size.selectedOption()).isEqualTo("Large");
        assertThat(byText(o, "Gift wrap").checked()).isTrue();
        assertThat(byText(o, "/index.html").text()).isEqualTo("Home page");
        assertThat(byText(o, "Custom control").role()).isEqualTo("button");
        PageObserver.Element password = o.elements().stream().filter(e -> "password".equals(e.type()))
                .findFirst().orElseThrow();
        assertThat(password.value()).isNull();
        assertThat(password.filled()).isTrue();

        String shown = o.render(UnaryOperator.identity());
        assertThat(shown).contains("[" + search.index() + "] <input type=text")
                .contains("Some visible text.")
                .doesNotContain("do-not-show-me").doesNotContain("hidden words").doesNotContain("Invisible button")
                .doesNotContain("zzz");
    }

    @Test
    void indices_stayTheSameWhileThePageLives_andNewElementsGetNewOnes() {
        Page page = fixturePage();
        PageObserver.Observation first = observer.observe(page);
        page.evaluate("() => { const b = document.createElement('button'); b.textContent = 'Newest';"
                + " document.body.prepend(b); }");
        PageObserver.Observation second = observer.observe(page);
        Map<String, Integer> before = new HashMap<>();
        first.elements().forEach(e -> before.put(e.selector(), e.index()));
        for (PageObserver.Element e : second.elements()) {
            if (before.containsKey(e.selector())) {
                assertThat(e.index()).as(e.selector()).isEqualTo(before.get(e.selector()));
            }
        }
        PageObserver.Element newest = byText(second, "Newest");
        assertThat(newest.index()).isGreaterThan(first.elements().stream().mapToInt(PageObserver.Element::index)
                .max().orElseThrow());
    }

    @Test
    void selectors_findTheSameElementAgainOnAFreshPage() {
        PageObserver.Observation o = observer.observe(fixturePage());
        Page fresh = browser.newPage();
        fresh.navigate(browser.url("/observe.html"));
        fresh.getByText("Arrived later").waitFor();
        for (PageObserver.Element e : o.elements()) {
            assertThat(fresh.locator(e.selector()).count()).as(e.selector()).isEqualTo(1);
        }
        // the two identical "Buy" buttons are told apart
        assertThat(o.elements().stream().filter(e -> "Buy".equals(e.text())).map(PageObserver.Element::selector)
                .distinct().count()).isEqualTo(2);
    }

    @Test
    void longText_isCutAndSaysSo_andConcealIsAppliedToEverything() {
        Page page = browser.newPage();
        page.navigate(browser.url("/long.html"));
        PageObserver.Observation o = new PageObserver(250, 5).observe(page);
        assertThat(o.text()).isEqualTo("Top\nT");
        String shown = o.render(s -> s.replace("Long", "<secret>x</secret>"));
        assertThat(shown).contains("more characters; use extract").contains("Title: <secret>x</secret> page");
    }
}
