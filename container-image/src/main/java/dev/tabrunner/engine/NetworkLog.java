package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.egress.UpstreamProxies.Upstream;
import dev.tabrunner.json.Json;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests of one task, in order: what the page asked for (from the browser's own events, with full URLs)
 * and what the egress proxy refused (which the page never gets an answer for) or the task's upstream proxy did not
 * carry. Bounded, so that a page that polls forever cannot grow a task record without limit; the number left out
 * is kept. It is also how the proxy learns the running task's {@link BrowsingRules}.
 */
public final class NetworkLog implements EgressProxy.Listener {
    public static final int MAX_ENTRIES = 500;

    private final Clock clock;
    private final List<ObjectNode> entries = new ArrayList<>();
    /** Refused requests, kept apart until they are matched with a page request ({@link #request}). */
    private final List<ObjectNode> refusals = new ArrayList<>();
    private final BrowsingRules rules;
    private int dropped;
    private int blocked;
    private String lastBlocked;
    private int upstreamFailures;
    private String lastUpstreamFailure;

    /** @param rules the task's own rules on top of the operator's policy ({@link BrowsingRules#NONE} for none) */
    public NetworkLog(Clock clock, BrowsingRules rules) {
        this.clock = clock;
        this.rules = rules == null ? BrowsingRules.NONE : rules;
    }

    public BrowsingRules rules() {
        return rules;
    }

    /** A request the page made (the browser's request event). */
    public void page(String method, String url, String resourceType) {
        ObjectNode e = Json.mapper().createObjectNode();
        e.put("at", clock.instant().toString());
        e.put("method", method);
        e.put("url", url);
        e.put("resourceType", resourceType);
        add(e);
    }

    /**
     * A request the proxy saw. Allowed requests are logged from the page's own events, with their full URL. A
     * refused one is logged when the page asked for that host: the browser's own requests (which a page did not
     * cause) never reach the log. The page's request event and the proxy's refusal arrive on different threads in
     * either order, so the match is made when the log is read ({@link #toJson()}).
     */
    @Override
    public void request(String method, String target, String reason) {
        if (reason == null) {
            return;
        }
        ObjectNode e = Json.mapper().createObjectNode();
        e.put("at", clock.instant().toString());
        e.put("method", method);
        e.put("url", target);
        e.put("blocked", true);
        e.put("reason", reason);
        synchronized (this) {
            blocked++;
            lastBlocked = target + ": " + reason;
            refusals.add(e);
        }
    }

    @Override
    public String refuse(String host) {
        return rules.refuse(host);
    }

    @Override
    public Upstream upstream() {
        return rules.upstream();
    }

    @Override
    public void upstreamFailed(String method, String target, String reason) {
        ObjectNode e = Json.mapper().createObjectNode();
        e.put("at", clock.instant().toString());
        e.put("method", method);
        e.put("url", target);
        e.put("failed", true);
        e.put("reason", reason);
        synchronized (this) {
            upstreamFailures++;
            lastUpstreamFailure = reason;
        }
        add(e);
    }

    private synchronized void add(ObjectNode entry) {
        if (entries.size() >= MAX_ENTRIES) {
            dropped++;
            return;
        }
        entries.add(entry);
    }

    /** How many requests the proxy has refused so far. */
    public synchronized int blockedCount() {
        return blocked;
    }

    /** The last refusal, as {@code target: reason}. */
    public synchronized String lastBlocked() {
        return lastBlocked;
    }

    /** How many allowed requests the task's upstream proxy did not carry so far. */
    public synchronized int upstreamFailureCount() {
        return upstreamFailures;
    }

    /** Why the upstream proxy last failed a request. */
    public synchronized String lastUpstreamFailure() {
        return lastUpstreamFailure;
    }

    public synchronized ArrayNode toJson() {
        java.util.Set<String> asked = new java.util.HashSet<>();
        for (ObjectNode e : entries) {
            if (!e.has("blocked")) {
                asked.add(authority(e.path("url").asText()));
            }
        }
        List<ObjectNode> all = new ArrayList<>(entries);
        int omitted = dropped;
        for (ObjectNode r : refusals) {
            if (!asked.contains(authority(r.path("url").asText()))) {
                continue;
            }
            if (all.size() < MAX_ENTRIES) {
                all.add(r);
            } else {
                omitted++;
            }
        }
        all.sort(java.util.Comparator.comparing(e -> e.path("at").asText()));
        ArrayNode out = Json.mapper().createArrayNode();
        all.forEach(out::add);
        if (omitted > 0) {
            out.addObject().put("omitted", omitted);
        }
        return out;
    }

    /**
     * {@code host:port} of a URL, or of a tunnel target (already {@code host:port}); what a page request and the
     * proxy's view of it have in common.
     */
    static String authority(String target) {
        int scheme = target.indexOf("://");
        if (scheme < 0) {
            return target.toLowerCase(java.util.Locale.ROOT);
        }
        try {
            java.net.URI u = java.net.URI.create(target);
            int port = u.getPort() >= 0 ? u.getPort()
                    : "https".equalsIgnoreCase(u.getScheme()) || "wss".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
            String host = u.getHost() == null ? "" : u.getHost().toLowerCase(java.util.Locale.ROOT);
            return host + ":" + port;
        } catch (IllegalArgumentException e) {
            return target;
        }
    }
}
