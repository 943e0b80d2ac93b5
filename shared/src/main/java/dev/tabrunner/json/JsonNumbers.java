package dev.tabrunner.json;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Whole numbers as JSON writes them in any spelling: {@code 300000}, {@code 300000.0} and {@code 3e5} are the same
 * number, and a client (JavaScript's, Python's {@code json} with floats) may send any of them where an integer is
 * expected. A fractional part ({@code 1.5}) is not a whole number.
 */
public final class JsonNumbers {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private JsonNumbers() {
    }

    /** The node's value when it is a whole number of any size; empty for anything else (a string, 1.5, null). */
    public static Optional<BigInteger> integral(JsonNode node) {
        if (node == null || !node.isNumber()) {
            return Optional.empty();
        }
        if (node.isIntegralNumber()) {
            return Optional.of(node.bigIntegerValue());
        }
        if (node.isDouble() || node.isFloat()) {
            double d = node.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return Optional.empty();
            }
        }
        BigDecimal d = node.decimalValue();
        // a scale above this is a number far beyond any range we accept; not worth a huge BigInteger
        if (d.signum() != 0 && d.precision() - d.scale() > 400) {
            return Optional.of(d.signum() > 0 ? LONG_MAX.add(BigInteger.ONE) : LONG_MIN.subtract(BigInteger.ONE));
        }
        try {
            return Optional.of(d.toBigIntegerExact());
        } catch (ArithmeticException fractional) {
            return Optional.empty();
        }
    }

    /** True when the node is a whole number ({@link #integral}). */
    public static boolean isIntegral(JsonNode node) {
        return integral(node).isPresent();
    }

    /**
     * The whole number clamped into {@code long}'s range, so that a range check on the result refuses a number too
     * large or too small instead of letting it wrap around into the valid range.
     */
    public static Optional<Long> clampedLong(JsonNode node) {
        return integral(node).map(n -> n.compareTo(LONG_MAX) > 0 ? Long.MAX_VALUE
                : n.compareTo(LONG_MIN) < 0 ? Long.MIN_VALUE : n.longValueExact());
    }
}
