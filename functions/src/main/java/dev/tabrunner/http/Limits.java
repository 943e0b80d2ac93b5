package dev.tabrunner.http;

/** Documented request limits shared by several endpoints. */
public final class Limits {
    public static final int DEFAULT_PAGE_SIZE = 20;
    public static final int MAX_PAGE_SIZE = 100;

    private Limits() {
    }

    public static int pageSize(Integer limit) {
        if (limit == null) {
            return DEFAULT_PAGE_SIZE;
        }
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw ApiException.badRequest("limit", "must be between 1 and " + MAX_PAGE_SIZE);
        }
        return limit;
    }
}
