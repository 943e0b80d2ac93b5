package dev.tabrunner.http;

import java.util.List;

/** An integer query parameter read as FastAPI reads one, for browser-use's dialects (v1's paging, v2's). */
public final class QueryIntegers {
    private QueryIntegers() {
    }

    /**
     * The parameter's value, or {@code fallback} when it is absent.
     *
     * @throws RequestProblems at {@code ["query", name]} for what is not an integer in {@code [min, max]}
     */
    public static int read(String name, String value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw RequestProblems.of(List.of("query", name), "Input should be a valid integer, unable to parse"
                    + " string as an integer", "int_parsing");
        }
        if (n < min) {
            throw RequestProblems.of(List.of("query", name), "Input should be greater than or equal to " + min,
                    "greater_than_equal");
        }
        if (n > max) {
            throw RequestProblems.of(List.of("query", name), "Input should be less than or equal to " + max,
                    "less_than_equal");
        }
        return n;
    }
}
