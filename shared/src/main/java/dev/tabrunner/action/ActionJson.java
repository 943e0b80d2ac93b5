package dev.tabrunner.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.json.Json;

/**
 * Writes an {@link Action} back as seed 000's JSON, the inverse of {@link TaskRequestParser}: what an agent task
 * returns as its replay list, which runs again as a scripted task.
 */
public final class ActionJson {
    private ActionJson() {
    }

    public static ObjectNode toJson(Action action) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("type", action.type());
        // no default: a new action type does not compile until it is written here
        switch (action) {
            case Action.Navigate a -> {
                o.put("url", a.url());
                if (a.waitUntil() != null) {
                    o.put("waitUntil", a.waitUntil().wire());
                }
            }
            case Action.Click a -> selectorOrPoint(o, a.selector(), a.coordinates());
            case Action.Type a -> o.put("selector", a.selector()).put("text", a.text());
            case Action.Press a -> {
                o.put("key", a.key());
                putIfSet(o, "selector", a.selector());
            }
            case Action.Scroll a -> {
                selectorOrPoint(o, a.selector(), a.coordinates());
                putIfSet(o, "text", a.text());
            }
            case Action.Wait a -> {
                if (a.selector() != null) {
                    o.put("selector", a.selector());
                } else {
                    o.put("text", a.text());
                }
            }
            case Action.Evaluate a -> o.put("script", a.script());
            case Action.Screenshot a -> putIfSet(o, "selector", a.selector());
            case Action.UploadFile a -> o.put("selector", a.selector()).put("filename", a.filename());
            case Action.Select a -> o.put("selector", a.selector()).put("text", a.text());
            case Action.Hover a -> o.put("selector", a.selector());
            case Action.Authenticate a -> authenticate(o, a);
        }
        if (action.timeoutMs() != null) {
            o.put("timeoutMs", action.timeoutMs());
        }
        return o;
    }

    private static void authenticate(ObjectNode o, Action.Authenticate a) {
        o.put("mode", a.mode().wire());
        putIfSet(o, "credentialId", a.credentialId());
        if (a.selectors() != null) {
            ObjectNode s = o.putObject("selectors");
            putIfSet(s, "username", a.selectors().username());
            putIfSet(s, "password", a.selectors().password());
            putIfSet(s, "submit", a.selectors().submit());
            putIfSet(s, "totp", a.selectors().totp());
        }
        if (a.success() != null) {
            ObjectNode s = o.putObject("success").put("condition", a.success().condition());
            putIfSet(s, "value", a.success().value());
            if (a.success().timeoutMs() != null) {
                s.put("timeoutMs", a.success().timeoutMs());
            }
        }
        if (a.pauseTimeoutMs() != null) {
            o.put("pauseTimeoutMs", a.pauseTimeoutMs());
        }
    }

    private static void selectorOrPoint(ObjectNode o, String selector, Action.Point point) {
        if (selector != null) {
            o.put("selector", selector);
        } else if (point != null) {
            o.putObject("coordinates").put("x", point.x()).put("y", point.y());
        }
    }

    private static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }
}
