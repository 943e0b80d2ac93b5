package dev.tabrunner.egress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A task's {@code allowed_domains} (browser-use v1): {@code example.com} allows that host only;
 * {@code .example.com} or {@code *.example.com} allows the domain and every host under it. Entries may be written
 * as URLs ({@code https://example.com/path}); only the host counts. An empty list allows every host.
 */
public final class DomainAllowList {
    public static final int MAX_ENTRIES = 100;
    private static final Pattern HOST = Pattern.compile("(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)"
            + "(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");

    private final List<String> exact = new ArrayList<>();
    private final List<String> suffixes = new ArrayList<>();

    private DomainAllowList(List<String> entries) {
        for (String e : entries) {
            String n = normalize(e).orElseThrow(() -> new IllegalArgumentException("invalid domain: " + e));
            if (n.startsWith(".")) {
                suffixes.add(n.substring(1));
            } else {
                exact.add(n);
            }
        }
    }

    /**
     * @throws IllegalArgumentException when an entry is not a domain ({@link #normalize} says which are)
     */
    public static DomainAllowList of(List<String> entries) {
        return new DomainAllowList(entries);
    }

    public boolean isEmpty() {
        return exact.isEmpty() && suffixes.isEmpty();
    }

    /**
     * An entry in its canonical form ({@code host} or {@code .domain} for a wildcard), or empty when it is not a
     * domain or IP address a browser could visit.
     */
    public static Optional<String> normalize(String entry) {
        if (entry == null) {
            return Optional.empty();
        }
        String e = entry.trim().toLowerCase(Locale.ROOT);
        int scheme = e.indexOf("://");
        if (scheme >= 0) {
            e = e.substring(scheme + 3);
        }
        int end = indexOfAny(e, "/?#");
        if (end >= 0) {
            e = e.substring(0, end);
        }
        int port = e.lastIndexOf(':');
        if (port >= 0 && e.indexOf(':') == port) {
            e = e.substring(0, port);
        }
        boolean wildcard = false;
        if (e.startsWith("*.")) {
            e = e.substring(2);
            wildcard = true;
        } else if (e.startsWith(".")) {
            e = e.substring(1);
            wildcard = true;
        }
        if (e.endsWith(".")) {
            e = e.substring(0, e.length() - 1);
        }
        if (!HOST.matcher(e).matches()) {
            return Optional.empty();
        }
        return Optional.of(wildcard ? "." + e : e);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** True when the host may be visited: the list is empty, or an entry covers it. */
    public boolean allows(String host) {
        if (isEmpty()) {
            return true;
        }
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (exact.contains(h)) {
            return true;
        }
        for (String s : suffixes) {
            if (h.equals(s) || h.endsWith("." + s)) {
                return true;
            }
        }
        return false;
    }
}
