package dev.tabrunner.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.SelectOption;
import dev.tabrunner.action.Action;
import dev.tabrunner.engine.ActionFailure;
import dev.tabrunner.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * The agent's action runner for the loop's own tests: seed-000 actions done straight with Playwright. Records the
 * actions exactly as the browser received them, so a test can see what was really typed.
 */
final class DirectActionRunner implements ActionRunner {
    final List<Action> ran = new ArrayList<>();

    @Override
    public ObjectNode run(Page page, Action action) {
        ObjectNode r = Json.mapper().createObjectNode().put("type", action.type());
        try {
            if (action instanceof Action.Navigate a) {
                page.navigate(a.url());
                r.put("url", page.url());
            } else if (action instanceof Action.Click a) {
                locate(page, a.selector()).click();
            } else if (action instanceof Action.Type a) {
                locate(page, a.selector()).fill(a.text());
            } else if (action instanceof Action.Select a) {
                r.set("selected", Json.mapper().valueToTree(locate(page, a.selector())
                        .selectOption(new SelectOption().setLabel(a.text()))));
            } else if (action instanceof Action.Press a) {
                if (a.selector() != null) {
                    locate(page, a.selector()).press(a.key());
                } else {
                    page.keyboard().press(a.key());
                }
            } else if (action instanceof Action.Hover a) {
                locate(page, a.selector()).hover();
            } else if (action instanceof Action.Scroll a) {
                if (a.selector() != null) {
                    locate(page, a.selector()).scrollIntoViewIfNeeded();
                } else {
                    page.evaluate("([x, y]) => window.scrollTo(x, y)",
                            List.of(a.coordinates().x(), a.coordinates().y()));
                }
            } else if (action instanceof Action.Wait a) {
                (a.selector() != null ? page.locator(a.selector()) : page.getByText(a.text())).first()
                        .waitFor(new Locator.WaitForOptions().setTimeout(3000));
            } else if (action instanceof Action.Evaluate a) {
                r.set("value", Json.mapper().valueToTree(page.evaluate(a.script())));
            } else {
                throw new ActionFailure(422, "unsupported", action.type() + " is not supported here");
            }
        } catch (TimeoutError e) {
            throw new ActionFailure(408, "action_timeout", action.type() + " timed out");
        } catch (PlaywrightException e) {
            if (!page.context().browser().isConnected()) {
                throw ActionFailure.browserUnavailable("browser disconnected");
            }
            throw new ActionFailure(422, "action_failed", e.getMessage().lines().findFirst().orElse(""));
        }
        ran.add(action);
        return r;
    }

    private static Locator locate(Page page, String selector) {
        Locator l = page.locator(selector).first();
        if (l.count() == 0) {
            throw new ActionFailure(404, "selector_not_found", "selector '" + selector + "' matched nothing");
        }
        return l.first();
    }
}
