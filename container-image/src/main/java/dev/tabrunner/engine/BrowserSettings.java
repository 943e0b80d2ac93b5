package dev.tabrunner.engine;

import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.egress.UpstreamProxies;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How Chromium is launched. Debian's binary is used as-is (Playwright must never download a browser), with the
 * flags a closed network and a root user need.
 *
 * @param executable         the Chromium binary
 * @param args               extra command-line flags
 * @param actionTimeoutMs    default timeout of one action
 * @param navigationTimeoutMs default timeout of one navigation
 * @param egress             which destinations the browser may reach ({@code TABRUNNER_EGRESS_ALLOW})
 * @param proxies            the operator's upstream proxies per country ({@code TABRUNNER_PROXY_<CC>}), for the
 *                           tasks that ask for one
 */
public record BrowserSettings(Path executable, List<String> args, long actionTimeoutMs, long navigationTimeoutMs,
                              EgressPolicy egress, UpstreamProxies proxies) {
    /**
     * WebRTC may only use the proxy (no direct UDP that would bypass the egress check): the full browser reads the
     * policy from {@code --webrtc-ip-handling-policy}, the headless shell from {@code --force-...}; each ignores the
     * other's, so both are given (proven by {@code NetworkIsolationIT}). QUIC is off, so nothing else speaks UDP. A
     * page's JavaScript heap is capped so that a page allocating without end crashes its own renderer quickly instead
     * of the machine.
     */
    static final List<String> BASE_ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-default-apps", "--disable-extensions", "--disable-quic", "--mute-audio",
            "--webrtc-ip-handling-policy=disable_non_proxied_udp",
            "--force-webrtc-ip-handling-policy=disable_non_proxied_udp", "--js-flags=--max-old-space-size=1024");

    /** Where Debian's {@code chromium-headless-shell} package puts the binary. */
    public static final String HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell";

    /** Asks Chromium for a DevTools port of its own on loopback, which the CDP gateway relays clients to. */
    static final String CDP_PORT_ARG = "--remote-debugging-port=0";

    public BrowserSettings {
        args = List.copyOf(args);
        proxies = proxies == null ? UpstreamProxies.none() : proxies;
    }

    /**
     * Reads {@code TABRUNNER_CHROMIUM_PATH}, {@code TABRUNNER_CHROMIUM_ARGS}, the two timeouts,
     * {@code TABRUNNER_EGRESS_ALLOW} and {@code TABRUNNER_PROXY_<CC>}.
     *
     * @throws IllegalArgumentException when a proxy setting is not an {@code http://} URL (named, without its value)
     */
    public static BrowserSettings from(Map<String, String> env) {
        String configured = env.get("TABRUNNER_CHROMIUM_PATH");
        Path executable = configured != null && !configured.isBlank() ? Path.of(configured) : findChromium();
        List<String> args = new ArrayList<>(BASE_ARGS);
        String extra = env.get("TABRUNNER_CHROMIUM_ARGS");
        if (extra != null && !extra.isBlank()) {
            args.addAll(List.of(extra.trim().split("\\s+")));
        }
        if (cdpConnect(env)) {
            args.add(CDP_PORT_ARG);
        }
        return new BrowserSettings(executable, args, longSetting(env, "TABRUNNER_ACTION_TIMEOUT_MS", 15_000),
                longSetting(env, "TABRUNNER_NAVIGATION_TIMEOUT_MS", 30_000),
                EgressPolicy.fromAllowList(env.get("TABRUNNER_EGRESS_ALLOW")), UpstreamProxies.from(env));
    }

    /**
     * Whether clients may drive sessions over CDP here ({@code TABRUNNER_CDP_CONNECT}, on by default): never in a
     * Lambda function, which takes no inbound connection to relay (README, "Connect over CDP").
     */
    static boolean cdpConnect(Map<String, String> env) {
        String lambda = env.get("AWS_LAMBDA_FUNCTION_NAME");
        return (lambda == null || lambda.isBlank()) && !"false".equalsIgnoreCase(env.getOrDefault(
                "TABRUNNER_CDP_CONNECT", "true").trim());
    }

    /** True when Chromium is launched with a DevTools port the CDP gateway can reach. */
    public boolean cdpPort() {
        return args.contains(CDP_PORT_ARG);
    }

    private static long longSetting(Map<String, String> env, String name, long fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : Long.parseLong(v.trim());
    }

    /**
     * Debian's headless shell first: the same Chromium build without the desktop browser's services, so it makes no
     * request of its own (no component updates, time queries, sign-in or autofill calls that would reach the egress
     * proxy and the task's network log), launches and opens contexts several times faster, and uses less memory
     * (docs/adr/0003-headless-shell.md). The full browser when only it is installed.
     */
    private static Path findChromium() {
        for (String candidate : List.of(HEADLESS_SHELL, "/usr/bin/chromium-headless-shell", "/usr/bin/chromium",
                "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                Path p = Path.of(dir, "chromium");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return Path.of("/usr/bin/chromium");
    }
}
