package dev.tabrunner.engine;

import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.egress.DomainAllowList;
import dev.tabrunner.egress.UpstreamProxies;
import dev.tabrunner.egress.UpstreamProxies.Upstream;

import java.util.Locale;

/**
 * One task's own network rules, on top of the operator's egress policy: which hosts its browser may reach
 * ({@code allowed_domains}), whether ad and tracker hosts are refused ({@code use_adblock}), and which of the
 * operator's upstream proxies its traffic leaves through ({@code proxy_country_code}). The egress proxy asks these
 * for every request of the task's browser, after the operator's policy let the request pass.
 */
public final class BrowsingRules {
    /** How a refusal by the task's allow list ends, so that it can be told from the operator's. */
    public static final String NOT_ALLOWED = "is not in the task's allowed_domains";
    public static final String AD_BLOCKED = "is blocked by the ad blocker";

    /** A task that asked for nothing of this: the operator's policy alone, direct connections. */
    public static final BrowsingRules NONE = new BrowsingRules(DomainAllowList.of(java.util.List.of()), null, null,
            null);

    private final DomainAllowList allowed;
    private final AdBlockList adblock;
    private final String country;
    private final Upstream upstream;

    private BrowsingRules(DomainAllowList allowed, AdBlockList adblock, String country, Upstream upstream) {
        this.allowed = allowed;
        this.adblock = adblock;
        this.country = country;
        this.upstream = upstream;
    }

    /**
     * @param proxies the operator's proxies on this worker
     * @throws ActionFailure 422 {@code proxy_not_configured} when the task asks for a country this worker has no
     *                       proxy for (never silently connecting directly instead), 400 {@code invalid_request}
     *                       when an allowed domain is not a host
     */
    public static BrowsingRules of(BrowsingOptions options, UpstreamProxies proxies) {
        DomainAllowList allowed;
        try {
            allowed = DomainAllowList.of(options.allowedDomains());
        } catch (IllegalArgumentException e) {
            throw new ActionFailure(400, "invalid_request", "allowed_domains: " + e.getMessage());
        }
        String country = options.proxyCountry() == null ? null
                : options.proxyCountry().trim().toLowerCase(Locale.ROOT);
        Upstream upstream = null;
        if (country != null) {
            upstream = proxies.forCountry(country).orElseThrow(() -> new ActionFailure(422, "proxy_not_configured",
                    UpstreamProxies.COUNTRIES.contains(country)
                            ? "the task asks for a proxy in '" + country + "', but this worker has none; operators"
                            + " configure it with " + UpstreamProxies.setting(country)
                            : "there is no proxy country '" + country + "' (supported: "
                            + String.join(", ", UpstreamProxies.COUNTRIES) + ")"));
        }
        return new BrowsingRules(allowed, options.adblock() ? AdBlockList.bundled() : null, country, upstream);
    }

    /**
     * Why the task's browser may not reach this host, or null when it may.
     *
     * @param host canonical (see {@link dev.tabrunner.egress.HostLiteral}), as the operator's policy returned it
     */
    public String refuse(String host) {
        if (!allowed.allows(host)) {
            return host + " " + NOT_ALLOWED;
        }
        if (adblock != null && adblock.blocks(host)) {
            return host + " " + AD_BLOCKED;
        }
        return null;
    }

    /** True when a refusal's reason came from a task's rules rather than from the operator's policy. */
    public static boolean isTaskRefusal(String reason) {
        return reason != null && (reason.endsWith(NOT_ALLOWED) || reason.endsWith(AD_BLOCKED));
    }

    /** The operator's proxy the task's traffic leaves through, or null to connect directly. */
    public Upstream upstream() {
        return upstream;
    }

    /** The proxy's country (lower case), or null. */
    public String country() {
        return country;
    }
}
