package dev.tabrunner.browserusev2;

import dev.tabrunner.domain.BrowserProfile;
import dev.tabrunner.domain.Viewport;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a v2 session is to be made: from {@code POST /sessions}, {@code POST /browsers}, or a task's
 * {@code sessionSettings} (the session created for the task). Fields a kind of request does not have keep their
 * defaults.
 *
 * @param profileId      the profile (an environment of the native API) the session starts from and saves into
 * @param proxy          the proxy asked for
 * @param width          the screen width, or null for the default
 * @param height         the screen height, or null for the default
 * @param startUrl       where the session's first task starts when it names no start URL of its own, or null
 * @param keepAlive      false to end the session with its first task
 * @param metadata       a browser's labels
 * @param timeoutMinutes a browser's time limit: it ends after so many minutes without use
 */
record V2SessionRequest(String profileId, Proxy proxy, Integer width, Integer height, String startUrl,
                        boolean keepAlive, Map<String, String> metadata, int timeoutMinutes) {
    static final Set<String> SESSION_FIELDS = Set.of("profileId", "proxyCountryCode", "startUrl",
            "browserScreenWidth", "browserScreenHeight", "persistMemory", "keepAlive", "customProxy",
            "enableRecording");
    static final Set<String> BROWSER_FIELDS = Set.of("profileId", "proxyCountryCode", "metadata", "timeout",
            "browserScreenWidth", "browserScreenHeight", "allowResizing", "pdfRendererEnabled", "solveCaptchas",
            "customProxy", "enableRecording");
    static final Set<String> TASK_SETTINGS_FIELDS = Set.of("profileId", "proxyCountryCode", "browserScreenWidth",
            "browserScreenHeight", "enableRecording");
    static final int DEFAULT_TIMEOUT_MINUTES = 60;
    static final int MAX_TIMEOUT_MINUTES = 240;
    /** How long an agent session waits for its next task (the native sessions' default). */
    static final int AGENT_TIMEOUT_MINUTES = 5;
    private static final Pattern COUNTRY = Pattern.compile("[a-z]{2}");

    /**
     * The proxy a request asks for.
     *
     * @param given   true when the request named it (then a country without a proxy here is refused)
     * @param country the country, or null for a direct connection ({@code proxyCountryCode: null})
     */
    record Proxy(boolean given, String country) {
        static final Proxy DEFAULT = new Proxy(false, "us");
    }

    /** The settings of a session made for one task (a task without {@code sessionId}). */
    static V2SessionRequest defaults() {
        return new V2SessionRequest(null, Proxy.DEFAULT, null, null, null, false, Map.of(), AGENT_TIMEOUT_MINUTES);
    }

    Viewport viewport() {
        return new Viewport(width == null ? Viewport.DEFAULT.width() : width,
                height == null ? Viewport.DEFAULT.height() : height);
    }

    /** A task's {@code sessionSettings}. */
    static V2SessionRequest forTask(V2Body b) {
        String profile = profile(b);
        Proxy proxy = proxy(b);
        Integer width = b.integer("browserScreenWidth", null, Viewport.MIN, Viewport.MAX);
        Integer height = b.integer("browserScreenHeight", null, Viewport.MIN, Viewport.MAX);
        recordingNotOffered(b);
        return new V2SessionRequest(profile, proxy, width, height, null, false, Map.of(), AGENT_TIMEOUT_MINUTES);
    }

    /** The body of {@code POST /sessions}. */
    static V2SessionRequest forSession(V2Body b) {
        String profile = profile(b);
        Proxy proxy = proxy(b);
        String startUrl = b.string("startUrl", false, 2048);
        Integer width = b.integer("browserScreenWidth", null, Viewport.MIN, Viewport.MAX);
        Integer height = b.integer("browserScreenHeight", null, Viewport.MIN, Viewport.MAX);
        Boolean memory = b.bool("persistMemory", false);
        b.notOffered("persistMemory", !memory, "tasks of a session share its browser (cookies, storage, the open"
                + " page) but each agent starts without the earlier tasks' history; send persistMemory: false");
        boolean keepAlive = b.bool("keepAlive", true);
        customProxyNotOffered(b);
        recordingNotOffered(b);
        return new V2SessionRequest(profile, proxy, width, height, startUrl, keepAlive, Map.of(),
                AGENT_TIMEOUT_MINUTES);
    }

    /** The body of {@code POST /browsers}. */
    static V2SessionRequest forBrowser(V2Body b) {
        String profile = profile(b);
        Proxy proxy = proxy(b);
        Map<String, String> metadata = b.metadata("metadata");
        int timeout = b.integer("timeout", DEFAULT_TIMEOUT_MINUTES, 1, MAX_TIMEOUT_MINUTES);
        Integer width = b.integer("browserScreenWidth", null, Viewport.MIN, Viewport.MAX);
        Integer height = b.integer("browserScreenHeight", null, Viewport.MIN, Viewport.MAX);
        Boolean resizing = b.bool("allowResizing", false);
        b.notOffered("allowResizing", !resizing, "the browser keeps the screen size it was created with");
        Boolean pdf = b.bool("pdfRendererEnabled", true);
        b.notOffered("pdfRendererEnabled", pdf, "the browser's PDF handling is fixed");
        Boolean captchas = b.bool("solveCaptchas", false);
        b.notOffered("solveCaptchas", !captchas, "no CAPTCHA solving; send solveCaptchas: false");
        customProxyNotOffered(b);
        recordingNotOffered(b);
        return new V2SessionRequest(profile, proxy, width, height, null, true, metadata, timeout);
    }

    private static String profile(V2Body b) {
        String id = b.string("profileId", false, 128);
        if (id != null && !BrowserProfile.ID.matcher(id).matches()) {
            b.problem("profileId", "Value error, a profile id is 1-128 letters, digits, '.', '_' or '-'",
                    "value_error");
            return null;
        }
        return id;
    }

    private static Proxy proxy(V2Body b) {
        if (!b.has("proxyCountryCode")) {
            return Proxy.DEFAULT;
        }
        if (!b.hasValue("proxyCountryCode")) {
            return new Proxy(true, null);
        }
        String code = b.string("proxyCountryCode", false, 2);
        if (code == null) {
            return Proxy.DEFAULT;
        }
        if (!COUNTRY.matcher(code).matches()) {
            b.problem("proxyCountryCode", "Value error, a lower-case two-letter country code such as 'us'",
                    "value_error");
            return Proxy.DEFAULT;
        }
        return new Proxy(true, code);
    }

    private static void customProxyNotOffered(V2Body b) {
        b.notOffered("customProxy", !b.hasValue("customProxy"), "the operator configures proxies by country"
                + " (TABRUNNER_PROXY_<COUNTRY>); use proxyCountryCode");
    }

    private static void recordingNotOffered(V2Body b) {
        Boolean recording = b.bool("enableRecording", false);
        b.notOffered("enableRecording", !recording, "no session recordings; each task keeps a screenshot per step");
    }
}
