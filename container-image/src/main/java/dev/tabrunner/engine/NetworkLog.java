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

    @Override
    public void request(String method, String target, String reason) {
        if (reason == null) {
            return; // allowed requests are logged from the page's own events, with their full URL
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
        }
        add(e);
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
        ArrayNode out = Json.mapper().createArrayNode();
        entries.forEach(out::add);
        if (dropped > 0) {
            out.addObject().put("omitted", dropped);
        }
        return out;
    }
}
