package dev.tabrunner.action;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;

import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.egress.HostLiteral;

import java.net.IDN;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a Run Task body into a {@link TaskRequest}, or throws {@link InvalidRequestException} naming the field.
 * It is strict on purpose: unknown fields, wrong types and conflicting fields are refused rather than guessed at,
 * and every size is bounded so a body can never make the engine do unbounded work.
 */
public final class TaskRequestParser {
    public static final int MAX_ACTIONS = 100;
    public static final long MAX_TIMEOUT_MS = 120_000;
    public static final int MAX_URL_LENGTH = 8_192;
    public static final int MAX_SELECTOR_LENGTH = 4_096;
    public static final int MAX_TEXT_LENGTH = 100_000;
    public static final int MAX_SCRIPT_LENGTH = 100_000;
    public static final long MAX_PAUSE_TIMEOUT_MS = 1_800_000;
    private static final Set<String> PDF_FORMATS = Set.of("letter", "legal", "tabloid", "ledger", "a0", "a1", "a2",
            "a3", "a4", "a5", "a6");
    private static final Set<String> KNOWN_SCHEMES = Set.of("http", "https");

    private TaskRequestParser() {
    }

    /**
     * Hosts are read as a browser reads them ({@link HostLiteral}): {@code 0251.0376.0251.0376} or a trailing dot are
     * valid hosts — the egress guard, not the parser, decides whether they may be reached.
     */
    private static boolean hasValidHost(URI uri) {
        String host = EgressPolicy.hostOf(uri);
        if (host == null || host.isEmpty()) {
            return false;
        }
        try {
            if (HostLiteral.address(host).isPresent()) {
                return true;
            }
            // a name: what a browser would send to DNS (international names in their ASCII form)
            String ascii = IDN.toASCII(HostLiteral.canonical(host), IDN.ALLOW_UNASSIGNED);
            return HOST_NAME.matcher(ascii).matches();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static final java.util.regex.Pattern HOST_NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    public static TaskRequest parse(JsonNode body) {
        JsonFields f = new JsonFields(body, "", -1, null);
        f.allowOnly(Set.of("url", "waitUntil", "actions", "screenshot", "pdf", "content", "recording"));
        // whether the task is recorded is the API's and the worker's business (Recordings); checked here alone
        f.bool("recording", false);
        String url = f.has("url") ? url(f, "url") : null;
        WaitUntil waitUntil = waitUntil(f, "waitUntil");
        if (waitUntil != null && url == null) {
            throw f.fail("waitUntil", "only applies together with url");
        }
        List<Action> actions = new ArrayList<>();
        JsonNode list = f.raw("actions");
        if (list != null) {
            if (!list.isArray()) {
                throw f.fail("actions", "must be an array");
            }
            if (list.size() > MAX_ACTIONS) {
                throw f.fail("actions", "must hold at most " + MAX_ACTIONS + " actions");
            }
            for (int i = 0; i < list.size(); i++) {
                actions.add(action(list.get(i), i));
            }
        }
        ScreenshotOptions screenshot = null;
        // true is the seed's "when present" with every option at its default; false is the same as leaving it out
        JsonFields shot = defaultsWhenTrue(f, "screenshot");
        if (shot != null) {
            shot.allowOnly(Set.of("fullPage", "selector"));
            screenshot = new ScreenshotOptions(shot.bool("fullPage", false),
                    shot.string("selector", false, MAX_SELECTOR_LENGTH));
            if (screenshot.fullPage() && screenshot.selector() != null) {
                throw f.fail("screenshot", "fullPage and selector are mutually exclusive");
            }
        }
        JsonFields pdfOptions = defaultsWhenTrue(f, "pdf");
        PdfOptions pdf = pdfOptions == null ? null : pdf(pdfOptions);
        boolean content = f.bool("content", false);
        return new TaskRequest(url, waitUntil, actions, screenshot, pdf, content);
    }

    /**
     * An options object, read from {@code true} as an object of defaults; null when the field is absent or
     * {@code false}.
     */
    private static JsonFields defaultsWhenTrue(JsonFields f, String field) {
        JsonNode v = f.raw(field);
        if (v != null && v.isBoolean()) {
            return v.booleanValue() ? new JsonFields(Json.mapper().createObjectNode(), f.path(field), -1, null)
                    : null;
        }
        return f.object(field);
    }

    /** Parses the body of {@code POST /browser/sessions/{id}/pdf}: the PDF options alone. */
    public static PdfOptions parsePdf(JsonNode body) {
        return pdf(new JsonFields(body, "", -1, null));
    }

    private static PdfOptions pdf(JsonFields p) {
        p.allowOnly(Set.of("format", "landscape", "margin", "printBackground", "scale"));
        String format = p.string("format", false, 16);
        if (format != null && !PDF_FORMATS.contains(format.toLowerCase(Locale.ROOT))) {
            throw p.fail(p.path("format"), "must be one of Letter, Legal, Tabloid, Ledger, A0-A6");
        }
        PdfOptions.Margin margin = null;
        JsonFields m = p.object("margin");
        if (m != null) {
            m.allowOnly(Set.of("top", "right", "bottom", "left"));
            margin = new PdfOptions.Margin(m.string("top", false, 32), m.string("right", false, 32),
                    m.string("bottom", false, 32), m.string("left", false, 32));
        }
        return new PdfOptions(format, p.bool("landscape", false), margin, p.bool("printBackground", false),
                p.doubleValue("scale", 0.1, 2.0));
    }

    private static Action action(JsonNode node, int index) {
        String path = "actions[" + index + "]";
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException(path, "must be a JSON object", index, null);
        }
        JsonNode typeNode = node.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new InvalidRequestException(path + ".type", "is required and must be a string", index, null);
        }
        String type = typeNode.textValue();
        JsonFields f = new JsonFields(node, path, index, type);
        Long timeout = f.longValue("timeoutMs", 1, MAX_TIMEOUT_MS);
        return switch (type) {
            case "navigate" -> {
                f.allowOnly(Set.of("type", "timeoutMs", "url", "waitUntil"));
                yield new Action.Navigate(url(f, "url"), waitUntil(f, "waitUntil"), timeout);
            }
            case "click" -> {
                f.allowOnly(Set.of("type", "timeoutMs", "selector", "coordinates"));
                String selector = selector(f, false);
                Action.Point point = point(f);
                exactlyOne(f, "selector or coordinates", selector, point);
                yield new Action.Click(selector, point, timeout);
            }
            case "type" -> {
                f.allowOnly(Set.of("type", "timeoutMs", "selector", "text"));
                yield new Action.Type(selector(f, true), f.string("text", true, MAX_TEXT_LENGTH), timeout);
            }
            case "press" -> {
                f.allowOnly(Set.of("type", "timeoutMs", "key", "selector"));
                yield new Action.Press(f.string("key", true, 64), selector(f, false), timeout);
            }
            case "scroll" -> {
                f.allowOnly(Set.of("type", "timeoutMs", "selector", "coordinates", "text"));
                String selector = selector(f, false);
                Action.Point point = point(f);
                String text = f.string("text", false, MAX_SELECTOR_LENGTH);
                exactlyOne(f, "selector, coordinates or text", selector, point, text);
                yield new Action.Scroll(selector, point, text, timeout);
            }
            case "wait" -> {
                f.allowOnly(Set.of("type", "timeoutMs", "selector", "text"));
                String selector = selector(f, false);
                String text = f.string("text", false, MAX_SELECTOR_LENGTH);
                exactlyOne(f, "selector or text", selector, text);
                yield new Action.Wait(selector, text, timeout);
            }
            case "evaluate" -> {
                f.allowOnly(Set.of("type", "timeoutMs", "script"));
                yield new Action.Evaluate(f.string("script", true, MAX_SCRIPT_LENGTH), timeout);
            }
            case "screenshot" -> {
                f.allowOnly(Set.of("type", "timeoutMs", "selector"));
                yield new Action.Screenshot(selector(f, false), timeout);
            }
            case "uploadFile" -> {
                f.allowOnly(Set.of("type", "timeoutMs", "selector", "filename"));
                yield new Action.UploadFile(selector(f, true), f.string("filename", true, 255), timeout);
            }
            case "select" -> {
                f.allowOnly(Set.of("type", "timeoutMs", "selector", "text"));
                yield new Action.Select(selector(f, true), f.string("text", true, MAX_TEXT_LENGTH), timeout);
            }
            case "hover" -> {
                f.allowOnly(Set.of("type", "timeoutMs", "selector"));
                yield new Action.Hover(selector(f, true), timeout);
            }
            case "authenticate" -> authenticate(f, timeout);
            default -> throw new InvalidRequestException(path + ".type", "unknown action type '" + type
                    + "'; expected one of navigate, click, type, press, scroll, wait, evaluate, screenshot, "
                    + "uploadFile, authenticate, select, hover", index, type);
        };
    }

    private static Action authenticate(JsonFields f, Long timeout) {
        if (f.has("username") || f.has("password") || f.has("totpSecret")) {
            throw f.fail(f.path(f.has("password") ? "password" : "username"),
                    "raw credentials are never accepted in a task; register them with POST /browser/credentials"
                            + " and use a credential id");
        }
        f.allowOnly(Set.of("type", "timeoutMs", "mode", "credentialId", "selectors", "success", "pauseTimeoutMs"));
        String modeName = f.string("mode", true, 32);
        Action.AuthMode mode = null;
        for (Action.AuthMode m : Action.AuthMode.values()) {
            if (m.wire().equals(modeName)) {
                mode = m;
            }
        }
        if (mode == null) {
            throw f.fail(f.path("mode"), "must be one of vault, prompt_user, vault_then_prompt");
        }
        String credentialId = f.string("credentialId", mode != Action.AuthMode.PROMPT_USER, 64);
        if (credentialId != null) {
            try {
                java.util.UUID.fromString(credentialId);
            } catch (IllegalArgumentException e) {
                throw f.fail(f.path("credentialId"), "must be a credential UUID");
            }
        }
        Action.LoginSelectors selectors = null;
        JsonFields s = f.object("selectors");
        if (s != null) {
            s.allowOnly(Set.of("username", "password", "submit", "totp"));
            selectors = new Action.LoginSelectors(s.string("username", false, MAX_SELECTOR_LENGTH),
                    s.string("password", false, MAX_SELECTOR_LENGTH), s.string("submit", false, MAX_SELECTOR_LENGTH),
                    s.string("totp", false, MAX_SELECTOR_LENGTH));
        }
        Action.SuccessCondition success = null;
        JsonFields c = f.object("success");
        if (c != null) {
            c.allowOnly(Set.of("condition", "value", "timeoutMs"));
            String condition = c.string("condition", true, 16);
            if (!Set.of("url", "selector", "text", "networkIdle").contains(condition)) {
                throw c.fail(c.path("condition"), "must be one of url, selector, text, networkIdle");
            }
            String value = c.string("value", !"networkIdle".equals(condition), MAX_SELECTOR_LENGTH);
            success = new Action.SuccessCondition(condition, value, c.longValue("timeoutMs", 1, MAX_TIMEOUT_MS));
        }
        Long pause = f.longValue("pauseTimeoutMs", 1_000, MAX_PAUSE_TIMEOUT_MS);
        return new Action.Authenticate(mode, credentialId, selectors, success, pause, timeout);
    }

    private static String selector(JsonFields f, boolean required) {
        return f.string("selector", required, MAX_SELECTOR_LENGTH);
    }

    private static Action.Point point(JsonFields f) {
        JsonFields c = f.object("coordinates");
        if (c == null) {
            return null;
        }
        c.allowOnly(Set.of("x", "y"));
        Double x = c.doubleValue("x", 0, 100_000);
        Double y = c.doubleValue("y", 0, 100_000);
        if (x == null || y == null) {
            throw c.fail(f.path("coordinates"), "needs both x and y");
        }
        return new Action.Point(x, y);
    }

    private static void exactlyOne(JsonFields f, String what, Object... values) {
        int set = 0;
        for (Object v : values) {
            if (v != null) {
                set++;
            }
        }
        if (set != 1) {
            throw f.fail(f.self(), set == 0 ? "needs " + what
                    : "takes exactly one of " + what + ", not several (conflicting fields)");
        }
    }

    private static WaitUntil waitUntil(JsonFields f, String field) {
        String value = f.string(field, false, 32);
        if (value == null) {
            return null;
        }
        WaitUntil w = WaitUntil.fromWire(value);
        if (w == null) {
            throw f.fail(f.path(field), "must be one of domcontentloaded, load, networkidle");
        }
        return w;
    }

    static String url(JsonFields f, String field) {
        String value = f.string(field, true, MAX_URL_LENGTH);
        URI uri;
        try {
            uri = new URI(value);
        } catch (java.net.URISyntaxException | NumberFormatException e) {
            // NumberFormatException: URI's own bug on an IPv4 part too long for an int inside an IPv6 literal
            // ("http://[::ffff:9999999999.0.0.1]/"); found by fuzzing, see docs/security.md
            throw f.fail(f.path(field), "is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !uri.isAbsolute()) {
            throw f.fail(f.path(field), "must be an absolute http or https URL");
        }
        if (!KNOWN_SCHEMES.contains(scheme)) {
            throw f.fail(f.path(field), "scheme '" + scheme + "' is not allowed; only http and https");
        }
        if (!hasValidHost(uri)) {
            throw f.fail(f.path(field), "must name a host");
        }
        return value;
    }
}
