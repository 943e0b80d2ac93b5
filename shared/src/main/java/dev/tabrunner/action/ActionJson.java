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
        if (action instanceof Action.Navigate a) {
            o.put("url", a.url());
            if (a.waitUntil() != null) {
                o.put("waitUntil", a.waitUntil().wire());
            }
        } else if (action instanceof Action.Click a) {
            selectorOrPoint(o, a.selector(), a.coordinates());
        } else if (action instanceof Action.Type a) {
            o.put("selector", a.selector()).put("text", a.text());
        } else if (action instanceof Action.Press a) {
            o.put("key", a.key());
            if (a.selector() != null) {
                o.put("selector", a.selector());
            }
        } else if (action instanceof Action.Scroll a) {
            selectorOrPoint(o, a.selector(), a.coordinates());
            if (a.text() != null) {
                o.put("text", a.text());
            }
        } else if (action instanceof Action.Wait a) {
            if (a.selector() != null) {
                o.put("selector", a.selector());
            } else {
                o.put("text", a.text());
            }
        } else if (action instanceof Action.Evaluate a) {
            o.put("script", a.script());
        } else if (action instanceof Action.Screenshot a) {
            if (a.selector() != null) {
                o.put("selector", a.selector());
            }
        } else if (action instanceof Action.UploadFile a) {
            o.put("selector", a.selector()).put("filename", a.filename());
        } else if (action instanceof Action.Select a) {
            o.put("selector", a.selector()).put("text", a.text());
        } else if (action instanceof Action.Hover a) {
            o.put("selector", a.selector());
        } else if (action instanceof Action.Authenticate a) {
            o.put("mode", a.mode().wire());
            if (a.credentialId() != null) {
                o.put("credentialId", a.credentialId());
            }
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
        } else {
            throw new IllegalStateException("unhandled action type " + action.type());
        }
        if (action.timeoutMs() != null) {
            o.put("timeoutMs", action.timeoutMs());
        }
        return o;
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
