package dev.tabrunner.egress;

import java.math.BigInteger;
import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a URL host the way a browser does (WHATWG URL standard) before anything is decided about it: an IPv4
 * address may be spelled in decimal ({@code 2130706433}), octal ({@code 0177.0.0.1}), hex ({@code 0x7f.1}) or with
 * fewer than four parts ({@code 127.1}), an IPv6 address in brackets (including IPv4-mapped forms), and a name may
 * end in a dot, and a name may be international or full-width ({@code １２７.０.０.１} is {@code 127.0.0.1}).
 * Checking the raw spelling would let every one of these past a filter that the browser then resolves to loopback.
 */
public final class HostLiteral {
    private HostLiteral() {
    }

    /**
     * The host in its canonical form: lower case, without brackets or trailing dots, IPv4 numbers in dotted
     * decimal.
     *
     * @throws IllegalArgumentException when the host is empty or is a malformed number the browser would refuse
     */
    public static String canonical(String host) {
        Optional<InetAddress> literal = address(host);
        if (literal.isPresent()) {
            return literal.get().getHostAddress();
        }
        return name(host);
    }

    /** The address when the host is an IP literal in any spelling a browser accepts; empty for a name. */
    public static Optional<InetAddress> address(String host) {
        String h = trimmed(host);
        if (h.startsWith("[") || h.contains(":")) {
            String inner = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
            if (!inner.matches("[0-9a-f:.]+(%[0-9a-z]+)?")) {
                throw new IllegalArgumentException("'" + host + "' is not a valid IPv6 address");
            }
            try {
                // an IPv6 literal is parsed without any name lookup
                return Optional.of(InetAddress.getByName(inner));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + host + "' is not a valid IPv6 address");
            }
        }
        String name = name(h);
        return ipv4(name).map(HostLiteral::fromInt);
    }

    private static String trimmed(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the host is empty");
        }
        return host.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * A name as the browser looks it up: its IDNA ASCII form (UTS 46 mapping as {@link IDN} does it: full-width
     * letters and digits and ideographic full stops become ASCII, {@code bücher} becomes {@code xn--bcher-kva}), so
     * that a name spelled so reaches the same check, and the same address, as its ASCII twin.
     */
    private static String name(String host) {
        String h = trimmed(host);
        if (!h.chars().allMatch(c -> c < 0x80)) {
            try {
                h = IDN.toASCII(h, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + host + "' is not a valid international domain name");
            }
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.isEmpty()) {
            throw new IllegalArgumentException("the host is empty");
        }
        return h;
    }

    /**
     * The WHATWG IPv4 parser: when the last label is numeric the whole host must be an IPv4 number, otherwise the
     * host is a name.
     */
    static Optional<Long> ipv4(String host) {
        String[] parts = host.split("\\.", -1);
        String last = parts[parts.length - 1];
        if (!looksNumeric(last)) {
            return Optional.empty();
        }
        if (parts.length > 4) {
            throw new IllegalArgumentException("'" + host + "' is not a valid IPv4 address");
        }
        long[] numbers = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            BigInteger n = number(parts[i]);
            if (n == null) {
                throw new IllegalArgumentException("'" + host + "' is not a valid IPv4 address");
            }
            if (n.bitLength() > 32) {
                throw new IllegalArgumentException("'" + host + "' is out of the IPv4 range");
            }
            numbers[i] = n.longValue();
        }
        for (int i = 0; i < numbers.length - 1; i++) {
            if (numbers[i] > 255) {
                throw new IllegalArgumentException("'" + host + "' is not a valid IPv4 address");
            }
        }
        long lastPart = numbers[numbers.length - 1];
        if (lastPart >= 1L << (8 * (5 - numbers.length))) {
            throw new IllegalArgumentException("'" + host + "' is out of the IPv4 range");
        }
        long value = lastPart;
        for (int i = 0; i < numbers.length - 1; i++) {
            value += numbers[i] << (8 * (3 - i));
        }
        return Optional.of(value);
    }

    private static boolean looksNumeric(String label) {
        if (label.isEmpty()) {
            return false;
        }
        if (label.matches("[0-9]+")) {
            return true;
        }
        return label.startsWith("0x") && label.substring(2).matches("[0-9a-f]*");
    }

    private static BigInteger number(String part) {
        if (part.isEmpty()) {
            return null;
        }
        try {
            if (part.startsWith("0x")) {
                String digits = part.substring(2);
                return digits.isEmpty() ? BigInteger.ZERO : new BigInteger(digits, 16);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return new BigInteger(part.substring(1), 8);
            }
            return new BigInteger(part, 10);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static InetAddress fromInt(long v) {
        byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
