package dev.tabrunner.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.json.Json;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The CDP gateway's rules: which messages of a connected client reach the browser, and which of the browser's reach
 * the client. The client sees one browser context, the session's, and nothing else of the browser: not the other
 * sessions' contexts and pages on the same Chromium, not the browser process (close, crash, its command line, the
 * machine's {@code SystemInfo}), not the worker's files (download paths, file inputs, {@code file:} pages).
 *
 * <p>It is an allow-list (docs/security.md, "CDP connect"): a method on the browser's own session must be one of
 * {@link #BROWSER_METHODS}; on a page's session (a target of the session's context the client attached to) its
 * domain must be one of {@link #PAGE_DOMAINS} and the method not one of {@link #PAGE_REFUSED}. A few messages are
 * changed on the way: a context id is set to the session's, a listing is cut down to the session's targets, and
 * {@code Browser.setDownloadBehavior} (which Playwright and Puppeteer send on connecting, with paths of their own) is
 * answered without being applied. Targets of other contexts that auto-attach are detached again by the gateway,
 * unseen. Navigations go to {@code http}, {@code https} and {@code about:blank} only (and through the egress guard,
 * as the browser's every request does).
 *
 * <p>Message ids are the gateway's own towards the browser (a client's ids cannot collide with the gateway's). Not
 * thread-safe: the gateway calls it under one lock.
 */
final class CdpGatekeeper {
    /** Methods a client may call on the browser's own session (no {@code sessionId}). */
    static final Set<String> BROWSER_METHODS = Set.of(
            "Browser.getVersion", "Browser.setDownloadBehavior", "Browser.grantPermissions",
            "Browser.resetPermissions", "Browser.setPermission", "Browser.getWindowForTarget",
            "Browser.getWindowBounds", "Browser.setWindowBounds",
            "Target.setAutoAttach", "Target.setDiscoverTargets", "Target.getTargets", "Target.getTargetInfo",
            "Target.getBrowserContexts", "Target.createTarget", "Target.attachToTarget", "Target.detachFromTarget",
            "Target.closeTarget", "Target.activateTarget", "Target.autoAttachRelated",
            "Storage.getCookies", "Storage.setCookies", "Storage.clearCookies");

    /** Domains a client may use on a page of the session (a target of its context). */
    static final Set<String> PAGE_DOMAINS = Set.of(
            "Page", "Runtime", "DOM", "DOMDebugger", "DOMSnapshot", "DOMStorage", "CSS", "Network", "Fetch", "Input",
            "Emulation", "Log", "Console", "Accessibility", "Overlay", "Performance", "PerformanceTimeline",
            "Security", "Debugger", "Profiler", "HeapProfiler", "Inspector", "LayerTree", "Animation", "Audits",
            "Media", "ServiceWorker", "IndexedDB", "CacheStorage", "Target", "IO", "WebAuthn", "EventBreakpoints",
            "Preload", "FedCm", "DeviceOrientation", "HeadlessExperimental");

    /** Methods of those domains that reach outside the session's page, its context or the browser's sandbox. */
    static final Set<String> PAGE_REFUSED = Set.of(
            // the worker's files: a path read into the page, a resource loaded by the browser process itself
            "DOM.setFileInputFiles", "Network.loadNetworkResource", "Page.setDownloadBehavior",
            // the renderer or browser process itself
            "Page.crash",
            // another context, or a session on the browser
            "Target.createBrowserContext", "Target.disposeBrowserContext", "Target.getBrowserContexts",
            "Target.attachToBrowserTarget", "Target.exposeDevToolsProtocol", "Target.sendMessageToTarget",
            "Target.setRemoteLocations", "Target.setDiscoverTargets", "Target.getTargets");

    /** Where a navigation may go; everything else ({@code file:}, {@code chrome:}, {@code data:}, ...) is refused. */
    private static final Set<String> NAVIGABLE_SCHEMES = Set.of("http", "https");

    /** Where one message goes. */
    sealed interface Out permits ToBrowser, ToClient {
    }

    record ToBrowser(ObjectNode message) implements Out {
    }

    record ToClient(ObjectNode message) implements Out {
    }

    /** A client's request on its way to the browser, for its answer's way back. */
    private record Pending(long clientId, String method, JsonNode params) {
    }

    private final String contextId;
    private final Set<String> targets = new HashSet<>();
    private final Set<String> sessions = new HashSet<>();
    private final Map<Long, Pending> pending = new HashMap<>();
    private long nextId = 1;

    /**
     * @param contextId the session's browser context, the only one the client sees
     * @param targetId  the session's page
     */
    CdpGatekeeper(String contextId, String targetId) {
        this.contextId = contextId;
        this.targets.add(targetId);
    }

    /** What to do with one message from the client. */
    List<Out> fromClient(ObjectNode message) {
        JsonNode idNode = message.get("id");
        String method = message.path("method").asText("");
        if (idNode == null || !idNode.canConvertToLong() || method.isEmpty()) {
            return List.of();
        }
        long clientId = idNode.asLong();
        ObjectNode params = message.get("params") instanceof ObjectNode p ? p : Json.mapper().createObjectNode();
        String sessionId = message.path("sessionId").asText(null);
        String refusal = sessionId == null ? browserRefusal(method, params) : pageRefusal(sessionId, method, params);
        if (refusal != null) {
            return List.of(new ToClient(error(clientId, sessionId, refusal)));
        }
        if (sessionId == null && method.equals("Browser.setDownloadBehavior")) {
            // the session's context keeps its own download behaviour: a client's paths are not the worker's to use
            return List.of(new ToClient(result(clientId, null, Json.mapper().createObjectNode())));
        }
        if (sessionId == null && method.equals("Target.getBrowserContexts")) {
            ObjectNode result = Json.mapper().createObjectNode();
            result.putArray("browserContextIds").add(contextId);
            return List.of(new ToClient(result(clientId, null, result)));
        }
        scope(method, params);
        long id = nextId++;
        pending.put(id, new Pending(clientId, method, params));
        ObjectNode out = Json.mapper().createObjectNode();
        out.put("id", id);
        out.put("method", method);
        out.set("params", params);
        if (sessionId != null) {
            out.put("sessionId", sessionId);
        }
        return List.of(new ToBrowser(out));
    }

    /** What to do with one message from the browser. */
    List<Out> fromBrowser(ObjectNode message) {
        String sessionId = message.path("sessionId").asText(null);
        if (sessionId != null && !sessions.contains(sessionId)) {
            return List.of();
        }
        JsonNode idNode = message.get("id");
        if (idNode != null) {
            Pending p = pending.remove(idNode.asLong());
            if (p == null) {
                return List.of(); // the answer to one of the gateway's own messages
            }
            ObjectNode answer = message.deepCopy();
            answer.put("id", p.clientId());
            if (answer.get("result") instanceof ObjectNode result) {
                learnFromResult(p, result);
            }
            return List.of(new ToClient(answer));
        }
        return event(message, sessionId);
    }

    /** The ids of the client's sessions on the session's pages, for tests. */
    Set<String> sessions() {
        return Set.copyOf(sessions);
    }

    private String browserRefusal(String method, ObjectNode params) {
        if (!BROWSER_METHODS.contains(method)) {
            return method + " is not allowed on a connected session (only the session's own browser context and"
                    + " pages may be driven)";
        }
        String targetId = params.path("targetId").asText(null);
        if (targetId != null && !targets.contains(targetId)) {
            return "target " + targetId + " is not a page of this session";
        }
        String otherSession = params.path("sessionId").asText(null);
        if (otherSession != null && !sessions.contains(otherSession)) {
            return "session " + otherSession + " is not one of this connection's";
        }
        if (method.equals("Target.createTarget")) {
            return navigationRefusal(params.path("url").asText("about:blank"));
        }
        return null;
    }

    private String pageRefusal(String sessionId, String method, ObjectNode params) {
        if (!sessions.contains(sessionId)) {
            return "session " + sessionId + " is not one of this connection's";
        }
        int dot = method.indexOf('.');
        String domain = dot < 0 ? method : method.substring(0, dot);
        if (!PAGE_DOMAINS.contains(domain) || PAGE_REFUSED.contains(method)) {
            return method + " is not allowed on a connected session";
        }
        String targetId = params.path("targetId").asText(null);
        if (targetId != null && !targets.contains(targetId)) {
            return "target " + targetId + " is not a page of this session";
        }
        return switch (method) {
            case "Page.navigate" -> navigationRefusal(params.path("url").asText(""));
            case "Target.createTarget" -> navigationRefusal(params.path("url").asText("about:blank"));
            // a paused request sent on elsewhere goes where a navigation may
            case "Fetch.continueRequest", "Network.continueInterceptedRequest" ->
                    params.hasNonNull("url") ? navigationRefusal(params.path("url").asText()) : null;
            // files dropped on the page would be read from the worker's disk
            case "Input.dispatchDragEvent" -> params.path("data").path("files").isEmpty() ? null
                    : "dropping files is refused: they would be the worker's";
            default -> null;
        };
    }

    /** Null when a page may go to the URL. */
    static String navigationRefusal(String url) {
        if (url.equals("about:blank")) {
            return null;
        }
        String scheme;
        try {
            scheme = URI.create(url.trim()).getScheme();
        } catch (IllegalArgumentException e) {
            return "not a URL: refused";
        }
        if (scheme == null || !NAVIGABLE_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))) {
            return "navigating to " + (scheme == null ? "a relative URL" : scheme + ":") + " is refused; only"
                    + " http, https and about:blank";
        }
        return null;
    }

    /** Pins a context-wide method to the session's context. */
    private void scope(String method, ObjectNode params) {
        switch (method) {
            case "Target.createTarget", "Browser.grantPermissions", "Browser.resetPermissions",
                 "Browser.setPermission", "Storage.getCookies", "Storage.setCookies", "Storage.clearCookies" ->
                    params.put("browserContextId", contextId);
            // the legacy, unflattened sessions would need Target.sendMessageToTarget, which is refused
            case "Target.attachToTarget" -> params.put("flatten", true);
            default -> {
                // nothing context-wide
            }
        }
    }

    private void learnFromResult(Pending p, ObjectNode result) {
        switch (p.method()) {
            case "Target.attachToTarget" -> {
                if (result.hasNonNull("sessionId")) {
                    sessions.add(result.get("sessionId").asText());
                }
            }
            case "Target.createTarget" -> {
                if (result.hasNonNull("targetId")) {
                    targets.add(result.get("targetId").asText());
                }
            }
            case "Target.getTargets" -> {
                ArrayNode kept = Json.mapper().createArrayNode();
                for (JsonNode info : result.path("targetInfos")) {
                    if (ours(info)) {
                        targets.add(info.path("targetId").asText());
                        kept.add(info);
                    }
                }
                result.set("targetInfos", kept);
            }
            case "Target.getTargetInfo" -> {
                JsonNode info = result.path("targetInfo");
                if (!info.path("type").asText().equals("browser") && !ours(info)) {
                    result.removeAll();
                }
            }
            default -> {
                // passed on as the browser answered
            }
        }
    }

    private List<Out> event(ObjectNode message, String sessionId) {
        String method = message.path("method").asText("");
        JsonNode params = message.path("params");
        switch (method) {
            case "Target.attachedToTarget" -> {
                JsonNode info = params.path("targetInfo");
                String child = params.path("sessionId").asText();
                if (ours(info)) {
                    targets.add(info.path("targetId").asText());
                    sessions.add(child);
                    return List.of(new ToClient(message));
                }
                // another context's target, auto-attached by the client's setAutoAttach: let it run and let go
                List<Out> out = new ArrayList<>();
                if (params.path("waitingForDebugger").asBoolean(false)) {
                    out.add(new ToBrowser(internal("Runtime.runIfWaitingForDebugger", child)));
                }
                ObjectNode detach = internal("Target.detachFromTarget", sessionId);
                ((ObjectNode) detach.get("params")).put("sessionId", child);
                out.add(new ToBrowser(detach));
                return out;
            }
            case "Target.detachedFromTarget" -> {
                String child = params.path("sessionId").asText();
                return sessions.remove(child) ? List.of(new ToClient(message)) : List.of();
            }
            case "Target.targetCreated", "Target.targetInfoChanged" -> {
                JsonNode info = params.path("targetInfo");
                if (ours(info)) {
                    targets.add(info.path("targetId").asText());
                    return List.of(new ToClient(message));
                }
                return List.of();
            }
            case "Target.targetDestroyed", "Target.targetCrashed" -> {
                String targetId = params.path("targetId").asText();
                return targets.contains(targetId) ? List.of(new ToClient(message)) : List.of();
            }
            default -> {
                // events of the client's page sessions pass; the browser session's others (downloads of any
                // context, ...) do not
                return sessionId != null ? List.of(new ToClient(message)) : List.of();
            }
        }
    }

    private boolean ours(JsonNode targetInfo) {
        return contextId.equals(targetInfo.path("browserContextId").asText(null))
                && !targetInfo.path("type").asText().equals("browser");
    }

    private ObjectNode internal(String method, String sessionId) {
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("id", nextId++);
        m.put("method", method);
        m.putObject("params");
        if (sessionId != null) {
            m.put("sessionId", sessionId);
        }
        return m;
    }

    private static ObjectNode error(long id, String sessionId, String message) {
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("id", id);
        ObjectNode error = m.putObject("error");
        // -32601 is JSON-RPC's "method not found", which CDP clients already report as a failed call
        error.put("code", -32601);
        error.put("message", "refused by the Tabrunner CDP gateway: " + message);
        if (sessionId != null) {
            m.put("sessionId", sessionId);
        }
        return m;
    }

    private static ObjectNode result(long id, String sessionId, ObjectNode result) {
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("id", id);
        m.set("result", result);
        if (sessionId != null) {
            m.put("sessionId", sessionId);
        }
        return m;
    }
}
