package dev.tabrunner.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's rules, message by message (the relay around them is {@code ConnectIT}'s). */
class CdpGatekeeperTest {
    private static final String OURS = "CTX-OURS";
    private static final String PAGE = "TARGET-OURS";
    private final CdpGatekeeper gate = new CdpGatekeeper(OURS, PAGE);
    private long ids;

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<CdpGatekeeper.Out> send(String sessionId, String method, String params) {
        ObjectNode m = json("{\"id\":" + (++ids) + ",\"method\":\"" + method + "\",\"params\":" + params + "}");
        if (sessionId != null) {
            m.put("sessionId", sessionId);
        }
        return gate.fromClient(m);
    }

    private static String refusal(List<CdpGatekeeper.Out> outs) {
        assertThat(outs).hasSize(1);
        if (outs.get(0) instanceof CdpGatekeeper.ToClient c && c.message().has("error")) {
            return c.message().at("/error/message").asText();
        }
        return null;
    }

    private static ObjectNode forwarded(List<CdpGatekeeper.Out> outs) {
        assertThat(outs).hasSize(1).first().isInstanceOf(CdpGatekeeper.ToBrowser.class);
        return ((CdpGatekeeper.ToBrowser) outs.get(0)).message();
    }

    /** Attaches to the session's page as a client would, and returns the page session's id. */
    private String attachedPage() {
        gate.fromBrowser(json("{\"method\":\"Target.attachedToTarget\",\"params\":{\"sessionId\":\"S1\","
                + "\"targetInfo\":{\"targetId\":\"" + PAGE + "\",\"type\":\"page\",\"browserContextId\":\"" + OURS
                + "\"},\"waitingForDebugger\":false}}"));
        return "S1";
    }

    @ParameterizedTest
    @ValueSource(strings = {"Browser.close", "Browser.crash", "Browser.crashGpuProcess",
            "Browser.getBrowserCommandLine", "Browser.getHistograms", "SystemInfo.getInfo",
            "SystemInfo.getProcessInfo", "Target.createBrowserContext", "Target.disposeBrowserContext",
            "Target.attachToBrowserTarget", "Target.exposeDevToolsProtocol", "Target.sendMessageToTarget",
            "Target.setRemoteLocations", "Tracing.start", "Memory.getDOMCounters", "Storage.clearDataForOrigin",
            "Storage.getUsageAndQuota", "Storage.getStorageKeyForFrame", "IO.read", "Network.enable",
            "Runtime.evaluate", "Page.navigate", "Fetch.enable", "Security.setIgnoreCertificateErrors"})
    void browserSession_refusesWhatIsNotOnItsList(String method) {
        assertThat(refusal(send(null, method, "{}"))).startsWith("refused by the Tabrunner CDP gateway");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DOM.setFileInputFiles", "Network.loadNetworkResource", "Page.setDownloadBehavior",
            "Page.crash", "Target.createBrowserContext", "Target.disposeBrowserContext", "Target.getBrowserContexts",
            "Target.attachToBrowserTarget", "Target.exposeDevToolsProtocol", "Target.sendMessageToTarget",
            "Target.setRemoteLocations", "Target.setDiscoverTargets", "Target.getTargets", "Browser.close",
            "Browser.setDownloadBehavior", "SystemInfo.getInfo", "Tracing.start", "Memory.simulatePressureNotification",
            "Storage.clearDataForOrigin", "Storage.getCookies", "Cast.enable", "Extensions.loadUnpacked"})
    void pageSession_refusesWhatIsNotOnItsList(String method) {
        String page = attachedPage();
        assertThat(refusal(send(page, method, "{}"))).startsWith("refused by the Tabrunner CDP gateway");
    }

    @Test
    void pageSession_passesThePagesOwnDomains() {
        String page = attachedPage();
        for (String method : List.of("Page.enable", "Runtime.evaluate", "DOM.getDocument", "Network.enable",
                "Network.getAllCookies", "Input.dispatchMouseEvent", "Emulation.setDeviceMetricsOverride",
                "Page.captureScreenshot", "Page.startScreencast", "Fetch.enable", "Target.setAutoAttach")) {
            ObjectNode out = forwarded(send(page, method, "{}"));
            assertThat(out.get("sessionId").asText()).isEqualTo(page);
            assertThat(out.get("method").asText()).isEqualTo(method);
        }
    }

    @Test
    void aSessionTheClientWasNeverGiven_isRefused() {
        attachedPage();
        assertThat(refusal(send("S-OTHER", "Runtime.evaluate", "{}"))).contains("not one of this connection's");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "FILE:///etc/passwd", "chrome://version", "chrome-untrusted://x",
            "view-source:http://example.com", "data:text/html,hi", "javascript:alert(1)", "blob:http://x/y",
            "devtools://devtools/bundled/inspector.html", "about:settings", "filesystem:http://x/temporary/a", "/rel",
            " file:///etc/passwd"})
    void navigations_goOnlyToTheWeb(String url) {
        String page = attachedPage();
        assertThat(refusal(send(page, "Page.navigate", "{\"url\":\"" + url + "\"}"))).isNotNull();
        assertThat(refusal(send(null, "Target.createTarget", "{\"url\":\"" + url + "\"}"))).isNotNull();
        assertThat(refusal(send(page, "Fetch.continueRequest", "{\"requestId\":\"r\",\"url\":\"" + url + "\"}")))
                .isNotNull();
    }

    @Test
    void webNavigations_pass() {
        String page = attachedPage();
        forwarded(send(page, "Page.navigate", "{\"url\":\"https://example.com/\"}"));
        forwarded(send(page, "Page.navigate", "{\"url\":\"about:blank\"}"));
        forwarded(send(page, "Fetch.continueRequest", "{\"requestId\":\"r\"}"));
    }

    @Test
    void droppedFiles_areRefused_otherDragsPass() {
        String page = attachedPage();
        assertThat(refusal(send(page, "Input.dispatchDragEvent", "{\"type\":\"drop\",\"x\":1,\"y\":1,"
                + "\"data\":{\"items\":[],\"files\":[\"/etc/passwd\"],\"dragOperationsMask\":1}}"))).isNotNull();
        forwarded(send(page, "Input.dispatchDragEvent", "{\"type\":\"dragEnter\",\"x\":1,\"y\":1,"
                + "\"data\":{\"items\":[],\"dragOperationsMask\":1}}"));
    }

    @Test
    void contextWideMethods_arePinnedToTheSessionsContext() {
        for (String method : List.of("Storage.getCookies", "Storage.setCookies", "Storage.clearCookies",
                "Browser.grantPermissions", "Browser.resetPermissions", "Target.createTarget")) {
            ObjectNode out = forwarded(send(null, method, "{\"browserContextId\":\"CTX-OTHER\"}"));
            assertThat(out.at("/params/browserContextId").asText()).as(method).isEqualTo(OURS);
        }
    }

    @Test
    void targetsOfOtherContexts_cannotBeNamed() {
        for (String method : List.of("Target.attachToTarget", "Target.closeTarget", "Target.activateTarget",
                "Target.getTargetInfo", "Browser.getWindowForTarget", "Target.autoAttachRelated")) {
            assertThat(refusal(send(null, method, "{\"targetId\":\"TARGET-OTHER\"}"))).as(method)
                    .contains("not a page of this session");
        }
        ObjectNode attach = forwarded(send(null, "Target.attachToTarget", "{\"targetId\":\"" + PAGE + "\"}"));
        assertThat(attach.at("/params/flatten").asBoolean()).isTrue();
    }

    @Test
    void downloadBehaviour_isAnsweredButNotApplied() {
        List<CdpGatekeeper.Out> outs = send(null, "Browser.setDownloadBehavior",
                "{\"behavior\":\"allowAndName\",\"downloadPath\":\"/var/task\",\"eventsEnabled\":true}");
        assertThat(outs).singleElement().isInstanceOf(CdpGatekeeper.ToClient.class);
        assertThat(((CdpGatekeeper.ToClient) outs.get(0)).message().has("result")).isTrue();
    }

    @Test
    void theClientSeesOneContext() {
        List<CdpGatekeeper.Out> outs = send(null, "Target.getBrowserContexts", "{}");
        JsonNode answer = ((CdpGatekeeper.ToClient) outs.get(0)).message();
        assertThat(answer.at("/result/browserContextIds").toString()).isEqualTo("[\"" + OURS + "\"]");
    }

    @Test
    void listings_areCutToTheSessionsTargets_andAnswersGetTheClientsIds() {
        ObjectNode out = forwarded(send(null, "Target.getTargets", "{}"));
        List<CdpGatekeeper.Out> back = gate.fromBrowser(json("{\"id\":" + out.get("id") + ",\"result\":{"
                + "\"targetInfos\":[{\"targetId\":\"" + PAGE + "\",\"type\":\"page\",\"browserContextId\":\"" + OURS
                + "\"},{\"targetId\":\"T2\",\"type\":\"page\",\"browserContextId\":\"CTX-OTHER\"},"
                + "{\"targetId\":\"B\",\"type\":\"browser\"}]}}"));
        JsonNode answer = ((CdpGatekeeper.ToClient) back.get(0)).message();
        assertThat(answer.get("id").asLong()).isEqualTo(ids);
        assertThat(answer.at("/result/targetInfos").findValuesAsText("targetId")).containsExactly(PAGE);
    }

    @Test
    void anotherContextsTarget_isLetGoUnseen_andItsEventsDropped() {
        List<CdpGatekeeper.Out> outs = gate.fromBrowser(json("{\"method\":\"Target.attachedToTarget\",\"params\":"
                + "{\"sessionId\":\"S9\",\"targetInfo\":{\"targetId\":\"T9\",\"type\":\"page\","
                + "\"browserContextId\":\"CTX-OTHER\"},\"waitingForDebugger\":true}}"));
        assertThat(outs).allSatisfy(o -> assertThat(o).isInstanceOf(CdpGatekeeper.ToBrowser.class));
        assertThat(outs).extracting(o -> ((CdpGatekeeper.ToBrowser) o).message().get("method").asText())
                .containsExactly("Runtime.runIfWaitingForDebugger", "Target.detachFromTarget");
        assertThat(gate.fromBrowser(json("{\"method\":\"Page.frameNavigated\",\"sessionId\":\"S9\","
                + "\"params\":{}}"))).isEmpty();
        assertThat(gate.fromBrowser(json("{\"method\":\"Target.targetCreated\",\"params\":{\"targetInfo\":"
                + "{\"targetId\":\"T9\",\"type\":\"page\",\"browserContextId\":\"CTX-OTHER\"}}}"))).isEmpty();
        assertThat(gate.fromBrowser(json("{\"method\":\"Browser.downloadWillBegin\",\"params\":{}}"))).isEmpty();
        // the answers to the gateway's own messages go nowhere
        long internal = ((CdpGatekeeper.ToBrowser) outs.get(1)).message().get("id").asLong();
        assertThat(gate.fromBrowser(json("{\"id\":" + internal + ",\"result\":{}}"))).isEmpty();
        assertThat(gate.sessions()).doesNotContain("S9");
    }

    @Test
    void theSessionsOwnEvents_reachTheClient() {
        String page = attachedPage();
        assertThat(gate.sessions()).containsExactly(page);
        List<CdpGatekeeper.Out> outs = gate.fromBrowser(json("{\"method\":\"Page.frameNavigated\",\"sessionId\":\""
                + page + "\",\"params\":{}}"));
        assertThat(outs).singleElement().isInstanceOf(CdpGatekeeper.ToClient.class);
    }
}
