package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.Cookie;
import dev.tabrunner.domain.OriginPattern;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The browser context an {@code authenticate} action logs in from (ADR 0020): fresh, from the task's browser and
 * behind the same egress proxy and network rules, with the task's viewport, user agent, locale and time zone, seeded
 * with the task's cookies for the login's origins and nothing else. No caller script has ever run in it and no page
 * of the task can reach it, so a typed secret never shares a document with caller JavaScript. Popups are closed as
 * they open, downloads are refused, service workers blocked.
 *
 * <p>With origins (a vault credential's), a main-frame navigation to any other origin is aborted before it leaves
 * the browser and fails the login; from {@link #arm()} (just before the first value is typed) so is the navigation
 * of any frame (after the submit it is still aborted, and fails the login only for the main frame). On success
 * only cookies and the origins' localStorage move into the task's context, written by the engine, and the task's
 * page is sent to the post-login URL with any form of a secret removed.
 */
final class LoginContext implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoginContext.class);
    /** Served for the engine's own page in the task's context while it writes localStorage: nothing is fetched. */
    private static final String STORAGE_PATH = "/__tabrunner_login_storage__";

    private final BrowserContext context;
    private final Page page;
    private final List<OriginPattern> origins;
    private volatile boolean armed;
    private volatile boolean submitted;
    private volatile String violation;

    private LoginContext(BrowserContext context, Page page, List<OriginPattern> origins) {
        this.context = context;
        this.page = page;
        this.origins = origins;
    }

    /**
     * Opens the login context and its page at {@code url} (the task page's URL).
     *
     * @param origins where the login may go (a credential's); empty for a person's login, which goes anywhere the
     *                task's network rules let it
     * @param network the task's network log: the login's requests are listed there too (the engine scrubs it)
     * @throws ActionFailure 422 {@code domain_mismatch} when the page leaves the origins while it loads
     */
    static LoginContext open(Browser browser, BrowserContext task, SessionOptions session, BrowserSettings settings,
                             String url, List<OriginPattern> origins, NetworkLog network) {
        Browser.NewContextOptions options = FreshContexts.sessionOptions(session).setAcceptDownloads(false);
        BrowserContext context = browser.newContext(options);
        LoginContext login = null;
        try {
            context.setDefaultTimeout(settings.actionTimeoutMs());
            context.setDefaultNavigationTimeout(settings.navigationTimeoutMs());
            context.addCookies(cookiesFor(task, origins.isEmpty() ? originOf(url) : origins));
            context.onRequest(r -> network.page(r.method(), r.url(), r.resourceType()));
            Page page = context.newPage();
            login = new LoginContext(context, page, origins);
            LoginContext guard = login;
            context.onPage(p -> guard.closePopup(p));
            if (!origins.isEmpty()) {
                context.route("**/*", guard::route);
                page.onFrameNavigated(guard::navigated);
            }
            Dialogs.guard(page);
            if (url != null && (url.startsWith("http://") || url.startsWith("https://"))) {
                try {
                    page.navigate(url);
                } catch (PlaywrightException e) {
                    login.requireNoViolation();
                    throw e;
                }
            }
            login.requireNoViolation();
            return login;
        } catch (RuntimeException e) {
            if (login == null) {
                closeQuietly(context);
            } else {
                login.close();
            }
            throw e;
        }
    }

    Page page() {
        return page;
    }

    /** From now on a navigation of any frame away from the origins is aborted and fails the login. */
    void arm() {
        armed = true;
    }

    /**
     * Every secret is typed and the form submitted: a frame of the page that follows (an advertisement, a widget)
     * may still not leave the origins, but its attempt no longer fails the login; the main frame's still does.
     */
    void submitted() {
        submitted = true;
    }

    /** @throws ActionFailure 422 {@code domain_mismatch} when a frame tried to leave the origins */
    void requireNoViolation() {
        if (violation != null) {
            throw new ActionFailure(422, "domain_mismatch", "the login page tried to go to another origin ("
                    + violation + "); it was stopped and nothing more was typed");
        }
    }

    /**
     * @throws ActionFailure 422 {@code domain_mismatch} unless the page and the frame holding a field are on the
     *                       origins, as the frame's own document says at this moment
     */
    void requireOrigin(Frame frame, com.microsoft.playwright.Locator field) {
        requireNoViolation();
        String documentUrl;
        try {
            documentUrl = String.valueOf(field.evaluate("e => e.ownerDocument.location.href"));
        } catch (PlaywrightException e) {
            documentUrl = null;
        }
        if (!allowed(page.url()) || !allowed(frame.url()) || !allowed(documentUrl)) {
            throw new ActionFailure(422, "domain_mismatch", "the login form is not on an origin this credential"
                    + " is registered for; nothing was typed");
        }
    }

    private boolean allowed(String url) {
        return url != null && origins.stream().anyMatch(o -> o.matches(url));
    }

    private void route(Route route) {
        Request request = route.request();
        try {
            boolean mainFrame = request.isNavigationRequest() && request.frame().parentFrame() == null;
            if (request.isNavigationRequest() && !allowed(request.url()) && (armed || mainFrame)) {
                if (mainFrame || !submitted) {
                    violation = originText(request.url());
                }
                route.abort("blockedbyclient");
                return;
            }
            route.resume();
        } catch (PlaywrightException e) {
            // the page or the request went away meanwhile
            LOG.debug("login route: {}", e.getMessage());
        }
    }

    /** Redirects are not routed: a frame that arrived on another origin by one is caught here. */
    private void navigated(Frame frame) {
        String url = frame.url();
        boolean mainFrame = frame.parentFrame() == null;
        if ((mainFrame || armed && !submitted) && url.startsWith("http") && !allowed(url)) {
            violation = originText(url);
        }
    }

    private void closePopup(Page p) {
        if (p == page) {
            return;
        }
        try {
            p.close();
        } catch (PlaywrightException e) {
            LOG.debug("closing a popup of the login: {}", e.getMessage());
        }
    }

    /**
     * Moves the login's cookies and the origins' localStorage into the task's context and sends the task's page to
     * where the login ended, without any form of a secret.
     *
     * @param reveals whether a text holds a form of a secret the login used
     * @return the URL the task's page is sent to, or null when it stays where it is
     */
    String carryInto(BrowserContext task, java.util.function.Predicate<String> reveals) {
        List<Cookie> cookies = new ArrayList<>();
        for (Cookie c : context.cookies()) {
            if (!reveals.test(c.value) && !reveals.test(c.name)) {
                cookies.add(c);
            }
        }
        if (!cookies.isEmpty()) {
            task.addCookies(cookies);
        }
        writeStorage(task, reveals);
        String landed = page.url();
        if (!landed.startsWith("http://") && !landed.startsWith("https://")) {
            return null;
        }
        return scrubbed(landed, reveals);
    }

    /**
     * The post-login URL as the task may have it: a URL holding a secret (a GET form's) loses its query and fragment,
     * and its path too when that still holds one.
     */
    static String scrubbed(String url, java.util.function.Predicate<String> reveals) {
        if (!reveals.test(url)) {
            return url;
        }
        try {
            URI u = new URI(url);
            String origin = u.getScheme() + "://" + u.getRawAuthority();
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return reveals.test(path) ? origin + "/" : origin + path;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /**
     * The login's localStorage of the allowed origins (all of a person's login), written into the task's context by
     * a page of the engine's own that loads nothing from the site.
     */
    private void writeStorage(BrowserContext task, java.util.function.Predicate<String> reveals) {
        JsonNode state;
        try {
            state = Json.mapper().readTree(context.storageState());
        } catch (IOException e) {
            return;
        }
        for (JsonNode o : state.path("origins")) {
            String origin = o.path("origin").asText();
            if (!origins.isEmpty() && !allowed(origin)) {
                continue;
            }
            var entries = Json.mapper().createObjectNode();
            for (JsonNode kv : o.path("localStorage")) {
                String name = kv.path("name").asText();
                String value = kv.path("value").asText();
                if (!reveals.test(name) && !reveals.test(value)) {
                    entries.put(name, value);
                }
            }
            if (!entries.isEmpty()) {
                writeStorage(task, origin, entries);
            }
        }
    }

    private static void writeStorage(BrowserContext task, String origin, JsonNode entries) {
        Page writer = task.newPage();
        try {
            writer.route(origin + STORAGE_PATH, r -> r.fulfill(new Route.FulfillOptions().setStatus(200)
                    .setContentType("text/html").setBody("<!doctype html><title></title>")));
            writer.navigate(origin + STORAGE_PATH);
            writer.evaluate("entries => { for (const [k, v] of Object.entries(entries)) localStorage.setItem(k, v); }",
                    Json.mapper().convertValue(entries, java.util.Map.class));
        } finally {
            try {
                writer.close();
            } catch (PlaywrightException e) {
                LOG.debug("closing the storage writer: {}", e.getMessage());
            }
        }
    }

    /** The task's cookies a browser would send to one of the origins. */
    private static List<Cookie> cookiesFor(BrowserContext task, List<OriginPattern> origins) {
        List<Cookie> out = new ArrayList<>();
        for (Cookie c : task.cookies()) {
            String domain = c.domain == null ? "" : c.domain.toLowerCase(Locale.ROOT);
            boolean hostOnly = !domain.startsWith(".");
            String bare = hostOnly ? domain : domain.substring(1);
            boolean applies = origins.stream().anyMatch(o -> o.wildcard()
                    ? bare.endsWith("." + o.host()) || !hostOnly && bare.equals(o.host())
                    : bare.equals(o.host()) || !hostOnly && o.host().endsWith("." + bare));
            if (applies) {
                out.add(c);
            }
        }
        return out;
    }

    private static List<OriginPattern> originOf(String url) {
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getHost() == null) {
                return List.of();
            }
            return List.of(OriginPattern.parse(u.getScheme() + "://" + u.getRawAuthority()));
        } catch (URISyntaxException | IllegalArgumentException | NullPointerException e) {
            return List.of();
        }
    }

    private static String originText(String url) {
        try {
            URI u = new URI(url);
            return u.getScheme() + "://" + u.getRawAuthority();
        } catch (URISyntaxException e) {
            return "another origin";
        }
    }

    private static void closeQuietly(BrowserContext context) {
        try {
            context.close();
        } catch (PlaywrightException e) {
            LOG.debug("closing the login context: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        closeQuietly(context);
    }
}
