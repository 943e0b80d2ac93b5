package dev.tabrunner.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one task's browser may browse, beyond the operator's egress policy (the browser-use v1 options).
 *
 * @param allowedDomains    the only domains the task's browser may reach (see
 *                          {@link dev.tabrunner.egress.DomainAllowList}); empty for no restriction
 * @param adblock           refuse requests to the bundled list of ad and tracker hosts
 * @param proxyCountry      route the browser's traffic through the operator's proxy for this country (lower-case
 *                          ISO code, see {@link dev.tabrunner.egress.UpstreamProxies}); null to connect directly
 * @param highlightElements outline the elements the agent is shown in the screenshots it takes
 */
public record BrowsingOptions(List<String> allowedDomains, boolean adblock, String proxyCountry,
                              boolean highlightElements) {
    /** A task that asked for nothing: the operator's policy alone. */
    public static final BrowsingOptions NONE = new BrowsingOptions(List.of(), false, null, false);

    public BrowsingOptions {
        allowedDomains = List.copyOf(Objects.requireNonNull(allowedDomains, "allowedDomains"));
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.mapper().createObjectNode();
        var domains = o.putArray("allowedDomains");
        allowedDomains.forEach(domains::add);
        o.put("adblock", adblock);
        if (proxyCountry != null) {
            o.put("proxyCountry", proxyCountry);
        }
        o.put("highlightElements", highlightElements);
        return o;
    }

    /** Reads {@link #toJson()}'s form; a missing node is {@link #NONE}. */
    public static BrowsingOptions fromJson(JsonNode o) {
        if (o == null || !o.isObject()) {
            return NONE;
        }
        List<String> domains = new ArrayList<>();
        o.path("allowedDomains").forEach(d -> domains.add(d.asText()));
        return new BrowsingOptions(domains, o.path("adblock").asBoolean(false),
                o.hasNonNull("proxyCountry") ? o.get("proxyCountry").asText() : null,
                o.path("highlightElements").asBoolean(false));
    }
}
