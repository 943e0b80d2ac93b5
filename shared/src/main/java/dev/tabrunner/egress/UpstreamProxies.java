package dev.tabrunner.egress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The operator's proxies, one per country ({@code TABRUNNER_PROXY_US=http://user:password@proxy.example:8080},
 * likewise {@code _FR}, {@code _IT}, ...): a task that asks for a country's proxy has its browser's traffic sent
 * through it. Only HTTP proxies (CONNECT for TLS) are supported.
 *
 * <p>On AWS the URL, which holds the proxy's credentials, stays out of the functions' configuration: {@code
 * TABRUNNER_PROXY_US_CREDENTIAL_ID} names an operator credential of the vault whose password is the URL. The API
 * learns from the name alone that the country is offered; the worker, which connects to the proxy, reads the URL
 * from the vault when it starts ({@link #withVaultProxies}).
 */
public final class UpstreamProxies {
    /** The countries browser-use v1 offers ({@code proxy_country_code}). */
    public static final List<String> COUNTRIES = List.of("us", "fr", "it", "jp", "au", "de", "fi", "ca");
    public static final String SETTING_PREFIX = "TABRUNNER_PROXY_";

    /**
     * One proxy.
     *
     * @param authorization the {@code Proxy-Authorization} header value, or null when the proxy needs none
     */
    public record Upstream(String host, int port, String authorization) {
        @Override
        public String toString() {
            // never the credentials
            return host + ":" + port;
        }
    }

    /** Whether a task that asks for a country without a proxy is refused rather than run without one. */
    public static final String STRICT_SETTING = "TABRUNNER_PROXY_STRICT";
    /** Appended to a country's setting: the id of the operator credential whose password is its proxy's URL. */
    public static final String CREDENTIAL_SUFFIX = "_CREDENTIAL_ID";
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamProxies.class);

    private final Map<String, Upstream> byCountry;
    /** Countries whose proxy is a vault credential this process has not read (the API's view). */
    private final Set<String> inVault;
    private final boolean strict;

    private UpstreamProxies(Map<String, Upstream> byCountry, Set<String> inVault, boolean strict) {
        this.byCountry = byCountry;
        this.inVault = inVault;
        this.strict = strict;
    }

    public static UpstreamProxies none() {
        return new UpstreamProxies(Map.of(), Set.of(), false);
    }

    /**
     * The settings with the URL of every proxy kept in the vault ({@code TABRUNNER_PROXY_<CC>_CREDENTIAL_ID}) read
     * into {@code TABRUNNER_PROXY_<CC>}: what the worker needs to connect. A credential that cannot be read leaves
     * its country without a proxy, so that a task asking for it fails ({@code proxy_not_configured}) rather than run
     * without one; the log names the setting, never the URL.
     *
     * @param vault an operator credential's password by its id
     */
    public static Map<String, String> withVaultProxies(Map<String, String> settings,
                                                       Function<String, Optional<String>> vault) {
        Map<String, String> out = new HashMap<>(settings);
        for (String country : COUNTRIES) {
            String name = setting(country);
            String id = settings.get(name + CREDENTIAL_SUFFIX);
            if (id == null || id.isBlank() || (settings.get(name) != null && !settings.get(name).isBlank())) {
                continue;
            }
            try {
                vault.apply(id.trim()).ifPresentOrElse(url -> out.put(name, url), () ->
                        LOG.warn("{}: the credential is not in the vault; tasks that ask for this country's proxy"
                                + " fail", name + CREDENTIAL_SUFFIX));
            } catch (RuntimeException e) {
                LOG.warn("{}: the vault could not be read ({}); tasks that ask for this country's proxy fail",
                        name + CREDENTIAL_SUFFIX, e.getClass().getSimpleName());
            }
        }
        return out;
    }

    /**
     * Reads {@code TABRUNNER_PROXY_<CC>} for every country of {@link #COUNTRIES}.
     *
     * @throws IllegalArgumentException when a value is not an {@code http://[user:password@]host:port} URL (the
     *                                  message names the setting, never its value)
     */
    public static UpstreamProxies from(Map<String, String> settings) {
        Map<String, Upstream> out = new TreeMap<>();
        Set<String> inVault = new TreeSet<>();
        for (String country : COUNTRIES) {
            String name = setting(country);
            String value = settings.get(name);
            if (value == null || value.isBlank()) {
                String id = settings.get(name + CREDENTIAL_SUFFIX);
                if (id != null && !id.isBlank()) {
                    inVault.add(country);
                }
                continue;
            }
            out.put(country, parse(name, value.trim()));
        }
        String strict = settings.get(STRICT_SETTING);
        boolean promised = !out.isEmpty() || !inVault.isEmpty();
        if (strict != null && !strict.isBlank()) {
            String v = strict.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException(STRICT_SETTING + " must be true or false");
            }
            promised = v.equals("true");
        }
        return new UpstreamProxies(Map.copyOf(out), Set.copyOf(inVault), promised);
    }

    /**
     * Whether a task that asks in so many words for a country without a proxy here is refused (422). Strict by
     * default when the operator configured any proxy (the deployment promises proxies), lenient when none (the
     * task runs without a proxy and says so); {@value #STRICT_SETTING} decides either way.
     */
    public boolean strict() {
        return strict;
    }

    /** The setting that holds a country's proxy ({@code us} gives {@code TABRUNNER_PROXY_US}). */
    public static String setting(String country) {
        return SETTING_PREFIX + country.toUpperCase(Locale.ROOT);
    }

    private static Upstream parse(String name, String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(name + " is not a URL");
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(name + " must be http://[user:password@]host:port");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            throw new IllegalArgumentException(name + " has an invalid port");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        String authorization = null;
        if (uri.getUserInfo() != null) {
            // decoded: a password holding '@' or ':' is written percent-encoded in the URL
            String userInfo = uri.getUserInfo();
            if (userInfo.indexOf(':') < 0) {
                userInfo += ":"; // Basic credentials are always user-id ':' password, even an empty one
            }
            authorization = "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        }
        return new Upstream(uri.getHost(), port, authorization);
    }

    /**
     * The proxy for a country (its ISO code, in either case), if the operator configured one and this process has
     * its URL (the worker).
     */
    public Optional<Upstream> forCountry(String country) {
        return country == null ? Optional.empty()
                : Optional.ofNullable(byCountry.get(country.trim().toLowerCase(Locale.ROOT)));
    }

    /** Whether the deployment has a proxy for the country, its URL here or in the vault: what the API decides on. */
    public boolean offers(String country) {
        return country != null && (forCountry(country).isPresent()
                || inVault.contains(country.trim().toLowerCase(Locale.ROOT)));
    }

    /** The countries with a proxy. */
    public Set<String> countries() {
        Set<String> all = new TreeSet<>(byCountry.keySet());
        all.addAll(inVault);
        return Collections.unmodifiableSet(all);
    }
}
