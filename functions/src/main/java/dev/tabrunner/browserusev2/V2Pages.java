package dev.tabrunner.browserusev2;

import dev.tabrunner.http.QueryIntegers;

import java.util.List;

/** v2's paging: {@code pageSize} (1-100, 10 by default) and {@code pageNumber} (from 1), read from the query. */
final class V2Pages {
    static final int DEFAULT_SIZE = 10;
    static final int MAX_SIZE = 100;

    private V2Pages() {
    }

    static int size(String value) {
        return QueryIntegers.read("pageSize", value, DEFAULT_SIZE, 1, MAX_SIZE);
    }

    static int number(String value) {
        return QueryIntegers.read("pageNumber", value, 1, 1, Integer.MAX_VALUE);
    }

    /** The page of {@code all} with this number. */
    static <T> V2Views.Page<T> page(List<T> all, int size, int number) {
        long from = (long) (number - 1) * size;
        List<T> items = from >= all.size() ? List.of() : all.subList((int) from, (int) Math.min(all.size(),
                from + size));
        return new V2Views.Page<>(List.copyOf(items), all.size(), number, size);
    }
}
