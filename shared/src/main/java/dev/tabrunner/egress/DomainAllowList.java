package dev.tabrunner.egress;

import java.net.IDN;
import java.net.InetAddress;
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
     * domain or IP address a browser could visit. Names are lower-cased and internationalized names turned into the
     * ASCII form a browser puts on the wire ({@code bücher.example} becomes {@code xn--bcher-kva.example}); IP
     * addresses take the canonical form of {@link HostLiteral} in any spelling, so that they compare equal to the
     * host the egress proxy sees.
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
        // user information of a URL form (https://user@example.com) is not part of the host
        e = e.substring(e.lastIndexOf('@') + 1);
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0 || close + 1 < e.length() && e.charAt(close + 1) != ':') {
                return Optional.empty();
            }
            return ipLiteral(e.substring(0, close + 1));
        }
        int port = e.lastIndexOf(':');
        if (port >= 0 && e.indexOf(':') == port) {
            e = e.substring(0, port);
        } else if (port >= 0) {
            return ipLiteral(e); // an IPv6 address without brackets
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
        try {
            e = IDN.toASCII(e, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException notAName) {
            return Optional.empty();
        }
        if (!HOST.matcher(e).matches()) {
            return Optional.empty();
        }
        Optional<String> ip;
        try {
            ip = HostLiteral.address(e).map(InetAddress::getHostAddress);
        } catch (IllegalArgumentException malformedNumber) {
            return Optional.empty();
        }
        if (ip.isPresent()) {
            // a wildcard means subdomains, which an address does not have
            return wildcard ? Optional.empty() : ip;
        }
        return Optional.of(wildcard ? "." + e : e);
    }

    private static Optional<String> ipLiteral(String text) {
        try {
            return HostLiteral.address(text).map(InetAddress::getHostAddress);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * True when the host may be visited: the list is empty, or an entry covers it. The host is read as a browser
     * reads it ({@link HostLiteral}), so {@code 0x7f.1} is {@code 127.0.0.1} and {@code [::1]} is {@code ::1}.
     */
    public boolean allows(String host) {
        if (isEmpty()) {
            return true;
        }
        if (host == null) {
            return false;
        }
        String h;
        try {
            h = HostLiteral.canonical(host);
        } catch (IllegalArgumentException e) {
            return false;
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

    /**
     * True when every host the entry allows is allowed by this list too, so that a list of such entries only
     * narrows this one (a task's own {@code allowedDomains} inside its session's). An empty list covers anything.
     *
     * @param entry an entry in any form {@link #normalize} reads
     */
    public boolean covers(String entry) {
        if (isEmpty()) {
            return true;
        }
        Optional<String> n = normalize(entry);
        if (n.isEmpty()) {
            return false;
        }
        if (!n.get().startsWith(".")) {
            return allows(n.get());
        }
        String domain = n.get().substring(1);
        return suffixes.stream().anyMatch(s -> domain.equals(s) || domain.endsWith("." + s));
    }

    /** The entries in canonical form (see {@link #normalize}). */
    public List<String> entries() {
        List<String> out = new ArrayList<>(exact);
        suffixes.forEach(s -> out.add("." + s));
        return List.copyOf(out);
    }
}
