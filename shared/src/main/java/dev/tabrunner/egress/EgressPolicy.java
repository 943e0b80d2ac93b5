package dev.tabrunner.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which destinations the browser may reach. By default everything on the public internet and nothing
 * else: loopback, link-local (where cloud metadata services live), private, shared (CGNAT), unique-local,
 * unspecified, multicast and reserved addresses are refused, whatever spelling or DNS name leads to them. Host
 * names are resolved here and every resolved address must pass, so that a public-looking name pointing at
 * 169.254.169.254 is refused; the caller then connects to an address this policy returned, never re-resolving
 * (which would let a DNS answer change between the check and the connection).
 *
 * <p>Operators may allow destinations with {@code TABRUNNER_EGRESS_ALLOW}: host names ({@code intranet.example},
 * or {@code *.corp.example} / {@code .corp.example} for subdomains), IP addresses and CIDR blocks.
 */
public final class EgressPolicy {
    /** Schemes that may be navigated to at all. */
    public static final Set<String> NAVIGABLE_SCHEMES = Set.of("http", "https");

    private static final List<Cidr> FORBIDDEN = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"),
            Cidr.parse("127.0.0.0/8"), Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.0.0.0/24"), Cidr.parse("192.0.2.0/24"), Cidr.parse("192.88.99.0/24"),
            Cidr.parse("192.168.0.0/16"), Cidr.parse("198.18.0.0/15"), Cidr.parse("198.51.100.0/24"),
            Cidr.parse("203.0.113.0/24"), Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"),
            Cidr.parse("::/128"), Cidr.parse("::1/128"), Cidr.parse("fc00::/7"), Cidr.parse("fe80::/10"),
            Cidr.parse("fec0::/10"), Cidr.parse("ff00::/8"), Cidr.parse("2001:db8::/32"), Cidr.parse("100::/64"));
    /** Names that are refused before any lookup: the metadata services' own names and local-only domains. */
    private static final List<String> FORBIDDEN_NAMES = List.of("localhost", "metadata", "metadata.google.internal",
            "instance-data", "instance-data.ec2.internal");
    private static final List<String> FORBIDDEN_SUFFIXES = List.of(".localhost", ".internal", ".local");

    private final List<Cidr> allowedNetworks;
    private final List<String> allowedHosts;
    private final List<String> allowedSuffixes;
    private final Resolver resolver;

    /** Name resolution, replaceable in tests. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private EgressPolicy(List<Cidr> networks, List<String> hosts, List<String> suffixes, Resolver resolver) {
        this.allowedNetworks = List.copyOf(networks);
        this.allowedHosts = List.copyOf(hosts);
        this.allowedSuffixes = List.copyOf(suffixes);
        this.resolver = resolver;
    }

    /** The default policy, plus the operator's comma-separated allow list (may be null or blank). */
    public static EgressPolicy fromAllowList(String allow) {
        return fromAllowList(allow, InetAddress::getAllByName);
    }

    /**
     * @throws IllegalArgumentException naming the entry that is neither a host name, an address nor a CIDR block
     */
    public static EgressPolicy fromAllowList(String allow, Resolver resolver) {
        List<Cidr> networks = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        if (allow != null) {
            for (String raw : allow.split(",")) {
                String entry = raw.trim().toLowerCase(Locale.ROOT);
                if (entry.isEmpty()) {
                    continue;
                }
                if (entry.contains("/") || entry.contains(":") || entry.matches("[0-9.]+")) {
                    try {
                        networks.add(Cidr.parse(entry));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("TABRUNNER_EGRESS_ALLOW: '" + raw.trim()
                                + "' is not a valid IP address or CIDR block (" + e.getMessage() + ")");
                    }
                } else if (entry.startsWith("*.") || entry.startsWith(".")) {
                    suffixes.add(entry.substring(entry.indexOf('.')));
                } else if (entry.matches("[a-z0-9_.-]+")) {
                    hosts.add(HostLiteral.canonical(entry));
                } else {
                    throw new IllegalArgumentException("TABRUNNER_EGRESS_ALLOW: '" + raw.trim()
                            + "' is not a host name, an IP address or a CIDR block");
                }
            }
        }
        return new EgressPolicy(networks, hosts, suffixes, resolver);
    }

    /** The outcome of a check: where to connect when allowed, why not otherwise. */
    public record Verdict(boolean allowed, String host, List<InetAddress> addresses, String reason) {
        static Verdict allow(String host, List<InetAddress> addresses) {
            return new Verdict(true, host, List.copyOf(addresses), null);
        }

        static Verdict block(String host, String reason) {
            return new Verdict(false, host, List.of(), reason);
        }

        /** Refused because the name does not resolve: nothing to reach, rather than a forbidden destination. */
        public boolean unresolved() {
            return !allowed && reason != null && reason.endsWith(UNRESOLVED);
        }
    }

    private static final String UNRESOLVED = " could not be resolved";

    /** Checks a URL the browser is about to be sent to: its scheme, then its host. */
    public Verdict checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException | NumberFormatException e) {
            return Verdict.block(url, "not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!NAVIGABLE_SCHEMES.contains(scheme)) {
            return Verdict.block(url, "the scheme '" + scheme + "' is never allowed");
        }
        String host = hostOf(uri);
        if (host == null) {
            return Verdict.block(url, "the URL names no host");
        }
        return checkHost(host);
    }

    /**
     * The host of a URL, also when {@link URI#getHost()} gives up on it (a last label starting with a digit, such as
     * {@code 0251.0376.0251.0376} or {@code 169.254.43518}, is not a host name to RFC 2396 but is one to browsers).
     */
    public static String hostOf(URI uri) {
        return uri.getHost() != null ? uri.getHost() : hostOfAuthority(uri.getRawAuthority());
    }

    private static String hostOfAuthority(String authority) {
        if (authority == null) {
            return null;
        }
        String a = authority.substring(authority.lastIndexOf('@') + 1);
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end < 0 ? null : a.substring(0, end + 1);
        }
        int colon = a.lastIndexOf(':');
        return colon < 0 ? a : a.substring(0, colon);
    }

    /** Checks a host as it appears in a URL or a CONNECT line, resolving names. */
    public Verdict checkHost(String rawHost) {
        String host;
        Optional<InetAddress> literal;
        try {
            host = HostLiteral.canonical(rawHost);
            literal = HostLiteral.address(rawHost);
        } catch (IllegalArgumentException e) {
            return Verdict.block(String.valueOf(rawHost), e.getMessage());
        }
        if (literal.isPresent()) {
            InetAddress a = literal.get();
            return permitted(a) ? Verdict.allow(host, List.of(a))
                    : Verdict.block(host, host + " is a " + kind(a) + " address");
        }
        boolean nameAllowed = allowedHosts.contains(host) || allowedSuffixes.stream().anyMatch(host::endsWith);
        if (!nameAllowed && (FORBIDDEN_NAMES.contains(host) || FORBIDDEN_SUFFIXES.stream().anyMatch(host::endsWith))) {
            return Verdict.block(host, host + " is a local or metadata host name");
        }
        InetAddress[] resolved;
        try {
            resolved = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Verdict.block(host, host + UNRESOLVED);
        }
        if (resolved == null || resolved.length == 0) {
            return Verdict.block(host, host + UNRESOLVED);
        }
        if (!nameAllowed) {
            for (InetAddress a : resolved) {
                if (!permitted(a)) {
                    return Verdict.block(host, host + " resolves to " + a.getHostAddress() + ", a " + kind(a)
                            + " address");
                }
            }
        }
        return Verdict.allow(host, Arrays.asList(resolved));
    }

    private boolean permitted(InetAddress a) {
        if (allowedNetworks.stream().anyMatch(c -> c.contains(a))) {
            return true;
        }
        InetAddress embedded = embeddedIpv4(a);
        if (embedded != null) {
            return permittedIpv4(embedded);
        }
        return !forbidden(a) && !forbiddenEmbedding(a);
    }

    private static boolean forbidden(InetAddress a) {
        return FORBIDDEN.stream().anyMatch(c -> c.contains(a));
    }

    private static String kind(InetAddress a) {
        InetAddress v4 = embeddedIpv4(a);
        InetAddress x = v4 != null ? v4 : a;
        if (x.isLoopbackAddress()) {
            return "loopback";
        }
        if (x.isLinkLocalAddress()) {
            return "link-local";
        }
        if (x.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (x.isSiteLocalAddress() || Cidr.parse("fc00::/7").contains(x)) {
            return "private";
        }
        if (Cidr.parse("100.64.0.0/10").contains(x)) {
            return "shared (CGNAT)";
        }
        if (x.isMulticastAddress()) {
            return "multicast";
        }
        return "reserved";
    }

    /**
     * The IPv4 address an IPv6 address carries and that the network would actually reach: IPv4-mapped
     * ({@code ::ffff:a.b.c.d}), IPv4-translated ({@code ::ffff:0:a.b.c.d}, RFC 2765), IPv4-compatible
     * ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::/96}) and 6to4 ({@code 2002:AABB:CCDD::/48}). Null for anything
     * else. Teredo and local-use NAT64 carry addresses in other places; {@link #forbiddenEmbedding} checks them.
     */
    static InetAddress embeddedIpv4(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return null;
        }
        byte[] b = a.getAddress();
        boolean zeroPrefix = true;
        for (int i = 0; i < 8; i++) {
            zeroPrefix &= b[i] == 0;
        }
        boolean mapped = b[8] == 0 && b[9] == 0 && b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        boolean translated = b[8] == (byte) 0xff && b[9] == (byte) 0xff && b[10] == 0 && b[11] == 0;
        boolean compatible = b[8] == 0 && b[9] == 0 && b[10] == 0 && b[11] == 0;
        byte[] v4 = null;
        if (zeroPrefix && (mapped || translated || compatible)) {
            if (compatible && b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1)) {
                return null; // :: and ::1 are IPv6's own unspecified and loopback
            }
            v4 = Arrays.copyOfRange(b, 12, 16);
        } else if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && b[4] == 0
                && b[5] == 0) {
            v4 = Arrays.copyOfRange(b, 12, 16);
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = Arrays.copyOfRange(b, 2, 6);
        }
        return v4 == null ? null : ipv4(v4);
    }

    /**
     * True for the IPv6 forms that carry an IPv4 address somewhere {@link #embeddedIpv4} does not look, when that
     * address is one the browser may not reach: Teredo ({@code 2001:0::/32}: the relay's IPv4 in bits 32-63, the
     * client's, bit-inverted, in the last 32 bits) and local-use NAT64 ({@code 64:ff9b:1::/48}, RFC 8215, whose
     * prefix length, and so the place of the address, is the operator's: never a public destination).
     */
    private boolean forbiddenEmbedding(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return false;
        }
        byte[] b = a.getAddress();
        if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && b[4] == 0 && b[5] == 1) {
            return true;
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
            InetAddress relay = ipv4(Arrays.copyOfRange(b, 4, 8));
            byte[] client = Arrays.copyOfRange(b, 12, 16);
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~client[i];
            }
            return !permittedIpv4(relay) || !permittedIpv4(ipv4(client));
        }
        return false;
    }

    private boolean permittedIpv4(InetAddress v4) {
        return allowedNetworks.stream().anyMatch(c -> c.contains(v4)) || !forbidden(v4);
    }

    private static InetAddress ipv4(byte[] v4) {
        try {
            return Inet4Address.getByAddress(v4);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An address block. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            String t = text.trim();
            int slash = t.indexOf('/');
            String addr = slash < 0 ? t : t.substring(0, slash);
            InetAddress a = HostLiteral.address(addr).orElseThrow(() ->
                    new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block"));
            byte[] bytes = a.getAddress();
            int prefix;
            try {
                prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
            }
            return new Cidr(bytes, prefix);
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (b[full] & mask) == (network[full] & mask);
        }
    }
}
