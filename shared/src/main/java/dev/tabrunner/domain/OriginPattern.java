package dev.tabrunner.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * An origin a credential may fill on: exact scheme, host and port ({@code https://app.example.com}), or a
 * subdomain wildcard registered explicitly ({@code https://*.example.com}, which matches {@code a.example.com}
 * but not {@code example.com} itself). Comparison is on parsed URL parts, never on substrings, so
 * {@code example.com.evil.io}, {@code evil.io/?q=example.com} and an {@code http} downgrade never match.
 */
public record OriginPattern(String scheme, String host, int port, boolean wildcard) {

    /**
     * @throws IllegalArgumentException when the text is not an http(s) origin without path, query or credentials
     */
    public static OriginPattern parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an origin is required");
        }
        boolean wildcard = false;
        String candidate = text.trim();
        int star = candidate.indexOf("://*.");
        if (star > 0) {
            wildcard = true;
            candidate = candidate.substring(0, star + 3) + candidate.substring(star + 5);
        }
        URI uri;
        try {
            uri = new URI(candidate);
        } catch (URISyntaxException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an origin");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw new IllegalArgumentException("'" + text + "' must start with https:// or http://");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null || (uri.getRawPath() != null
                && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) || uri.getRawQuery() != null
                || uri.getRawFragment() != null || candidate.contains("*")) {
            throw new IllegalArgumentException("'" + text + "' must be scheme://host[:port] with no path, query"
                    + " or user info (a wildcard only as https://*.example.com)");
        }
        String host = normalizeHost(uri.getHost());
        if (wildcard && !host.contains(".")) {
            throw new IllegalArgumentException("'" + text + "': a wildcard needs a registrable domain after it");
        }
        return new OriginPattern(scheme, host, effectivePort(scheme, uri.getPort()), wildcard);
    }

    private static int effectivePort(String scheme, int port) {
        return port != -1 ? port : scheme.equals("https") ? 443 : 80;
    }

    private static String normalizeHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /** True when the page or frame at {@code url} is on this origin. Unparseable URLs never match. */
    public boolean matches(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException | NullPointerException | NumberFormatException e) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return false;
        }
        String s = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!s.equals(scheme) || effectivePort(s, uri.getPort()) != port) {
            return false;
        }
        String h = normalizeHost(uri.getHost());
        return wildcard ? h.endsWith("." + host) : h.equals(host);
    }

    @Override
    public String toString() {
        boolean defaultPort = port == (scheme.equals("https") ? 443 : 80);
        return scheme + "://" + (wildcard ? "*." : "") + host + (defaultPort ? "" : ":" + port);
    }
}
