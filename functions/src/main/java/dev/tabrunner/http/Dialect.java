package dev.tabrunner.http;

import java.util.List;
import java.util.Optional;

/**
 * An API dialect as the shared HTTP plumbing sees it: the paths it answers under and how it answers errors. Each
 * dialect's package declares one as a bean; {@link Dialects} finds them all, so a new dialect is registered by
 * declaring its own and nothing else changes.
 */
public interface Dialect {
    /** A short name for logs and for the tasks it creates ({@code browser-use-v1}). */
    String name();

    /**
     * The path prefixes of this dialect ({@code /api/v1/}); a request belongs to the dialect with the longest
     * prefix that matches, so {@code /api/v1/browsing/} can belong to another dialect than {@code /api/v1/}.
     */
    List<String> pathPrefixes();

    /**
     * Path prefixes under which requests carry no API key because a token in the link authorises them (a live
     * view, a public share page); the dialect's controllers check that token.
     */
    default List<String> publicPathPrefixes() {
        return List.of();
    }

    /**
     * A path of this dialect that carries no API key because its link's token authorises it, where the path is not
     * a prefix of its own (the CDP gateway's {@code /browser/sessions/{id}/cdp}).
     */
    default boolean isTokenPath(String path) {
        return false;
    }

    /**
     * A header that carries the API key on this dialect's paths instead of {@code Authorization: Bearer} (browser-use
     * v2's {@code X-Browser-Use-API-Key}); empty for Bearer only. Bearer works on every path either way.
     */
    default Optional<String> apiKeyHeader() {
        return Optional.empty();
    }

    ErrorFormat errorFormat();
}
