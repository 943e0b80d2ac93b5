package dev.tabrunner.browsing;

import dev.tabrunner.egress.UpstreamProxies;
import dev.tabrunner.http.ApiException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The nodes browsing tasks run on, as the operator configures them ({@value #SETTING}): a node is where a task's
 * browser exits to the web, named by a uid and placed in a country. A node exits directly, or through the
 * operator's upstream proxy for its country ({@code TABRUNNER_PROXY_<CC>}, as browser-use v1's country proxies);
 * every node is served by the same workers with that node's egress.
 *
 * <p>The setting is a comma-separated list of {@code uid[:CC[:direct|proxy]]}, e.g.
 * {@code de-1:DE:direct,us-1:US:proxy}; without it there is one direct node, {@value #DEFAULT_UID}, in no declared
 * country.
 */
public final class BrowsingNodes {
    public static final String SETTING = "TABRUNNER_BROWSING_NODES";
    static final String DEFAULT_UID = "default";
    private static final Pattern UID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    /**
     * One node.
     *
     * @param countryIso upper-case ISO 3166-1 alpha-2 code, or null when the operator declared none
     * @param proxied    exits through the operator's proxy for its country rather than directly
     */
    public record Node(String uid, String countryIso, boolean proxied) {
        /** The proxy country its tasks' browsers use ({@code BrowsingOptions.proxyCountry}), null for direct. */
        String proxyCountry() {
            return proxied ? countryIso.toLowerCase(Locale.ROOT) : null;
        }
    }

    private final List<Node> nodes;

    BrowsingNodes(List<Node> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException(SETTING + " names no node");
        }
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Reads the setting.
     *
     * @throws IllegalArgumentException naming the entry that is malformed, repeats a uid, or goes through a proxy
     *                                  the operator has not configured
     */
    public static BrowsingNodes from(String setting, UpstreamProxies proxies) {
        if (setting == null || setting.isBlank()) {
            return new BrowsingNodes(List.of(new Node(DEFAULT_UID, null, false)));
        }
        List<Node> out = new ArrayList<>();
        Set<String> uids = new HashSet<>();
        for (String entry : setting.split(",")) {
            String[] parts = entry.trim().split(":", -1);
            String uid = parts[0].trim();
            if (parts.length > 3 || !UID.matcher(uid).matches()) {
                throw new IllegalArgumentException(SETTING + ": '" + entry.trim() + "' is not uid[:CC[:direct|proxy]]"
                        + " (a uid is 1-64 letters, digits, '.', '_' or '-')");
            }
            if (!uids.add(uid)) {
                throw new IllegalArgumentException(SETTING + ": node " + uid + " is named twice");
            }
            String country = parts.length > 1 && !parts[1].isBlank() ? parts[1].trim().toUpperCase(Locale.ROOT)
                    : null;
            if (country != null && !COUNTRIES.contains(country)) {
                throw new IllegalArgumentException(SETTING + ": node " + uid + ": '" + parts[1].trim()
                        + "' is not an ISO 3166-1 alpha-2 country code");
            }
            String egress = parts.length > 2 ? parts[2].trim().toLowerCase(Locale.ROOT) : "direct";
            boolean proxied = switch (egress) {
                case "direct" -> false;
                case "proxy" -> true;
                default -> throw new IllegalArgumentException(SETTING + ": node " + uid + ": egress must be direct"
                        + " or proxy, not '" + parts[2].trim() + "'");
            };
            if (proxied && (country == null || !proxies.offers(country))) {
                throw new IllegalArgumentException(SETTING + ": node " + uid + " exits through a proxy, so it needs"
                        + " a country whose proxy is configured (" + (country == null ? "TABRUNNER_PROXY_<CC>"
                        : UpstreamProxies.setting(country) + " is not set") + ")");
            }
            out.add(new Node(uid, country, proxied));
        }
        return new BrowsingNodes(out);
    }

    /** Every node, in the operator's order. */
    public List<Node> all() {
        return nodes;
    }

    Optional<Node> find(String uid) {
        return nodes.stream().filter(n -> n.uid().equals(uid)).findFirst();
    }

    /**
     * The nodes a task may run on, in the operator's order.
     *
     * @param filter null for every node
     * @throws ApiException 400 naming the filter when no node passes it (never a silent fallback to another node)
     */
    List<Node> eligible(BrowsingRequest.NodeFilter filter) {
        if (filter == null) {
            return nodes;
        }
        List<Node> out = switch (filter) {
            case BrowsingRequest.ByCountry c -> nodes.stream().filter(n -> c.countryIso().equals(n.countryIso()))
                    .toList();
            case BrowsingRequest.ByNode u -> nodes.stream().filter(n -> n.uid().equals(u.uid())).toList();
        };
        if (out.isEmpty()) {
            throw ApiException.badRequest("filter", "no browsing node matches " + describe(filter) + "; the nodes"
                    + " are " + nodes.stream().map(n -> n.uid() + (n.countryIso() == null ? "" : " (" + n.countryIso()
                    + ")")).collect(Collectors.joining(", ")) + " (GET /api/v1/browsing/nodes)");
        }
        return out;
    }

    static String describe(BrowsingRequest.NodeFilter filter) {
        return switch (filter) {
            case BrowsingRequest.ByCountry c -> "filter.country_iso=" + c.countryIso();
            case BrowsingRequest.ByNode u -> "filter.node_uid=" + u.uid();
        };
    }

    /**
     * The nodes of a task's copies: distinct nodes while there are enough, then the same ones again (each copy
     * still gets a browser of its own), starting at {@code offset} so that tasks spread over the nodes.
     */
    static List<Node> spread(List<Node> eligible, int copies, int offset) {
        List<Node> out = new ArrayList<>(copies);
        int start = Math.floorMod(offset, eligible.size());
        for (int i = 0; i < copies; i++) {
            out.add(eligible.get((start + i) % eligible.size()));
        }
        return out;
    }
}
