package dev.tabrunner.http;

import jakarta.inject.Singleton;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which dialect a path belongs to, for what runs before or outside a controller (the auth filter, the exception
 * handlers, the framework's own errors): the dialect whose declared prefix is the longest match. A path no dialect
 * declares ({@code /health}, an unknown route) is answered in the {@link ProductErrorFormat}.
 */
@Singleton
public final class Dialects {
    private static final String HEALTH = "/health";
    /**
     * Pages anyone may open: the API reference and the dashboard's page and assets. The dashboard's data comes from
     * the API with the key its user signs in with.
     */
    private static final List<String> PAGES = List.of("/openapi.json", "/openapi.yaml", "/docs", "/ui");

    /** Every declared prefix with its dialect, longest first. */
    private final List<Map.Entry<String, Dialect>> byPrefix;
    private final List<String> publicPrefixes;
    private final List<Dialect> dialects;

    public Dialects(List<Dialect> dialects) {
        this.dialects = List.copyOf(dialects);
        this.byPrefix = dialects.stream()
                .flatMap(d -> d.pathPrefixes().stream().map(p -> Map.entry(p, d)))
                .sorted(Comparator.comparingInt((Map.Entry<String, Dialect> e) -> e.getKey().length()).reversed())
                .toList();
        this.publicPrefixes = dialects.stream().flatMap(d -> d.publicPathPrefixes().stream())
                .collect(Collectors.toUnmodifiableList());
    }

    /** The error format of the dialect the path belongs to. */
    public ErrorFormat errorFormat(String path) {
        return dialect(path).map(Dialect::errorFormat).orElse(ProductErrorFormat.INSTANCE);
    }

    /** The header the path's dialect takes the API key in besides {@code Authorization: Bearer}, if any. */
    public Optional<String> apiKeyHeader(String path) {
        return dialect(path).flatMap(Dialect::apiKeyHeader);
    }

    private Optional<Dialect> dialect(String path) {
        if (path != null) {
            for (Map.Entry<String, Dialect> e : byPrefix) {
                if (path.startsWith(e.getKey())) {
                    return Optional.of(e.getValue());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * True for the paths that need no API key: liveness, the reference and dashboard pages, and what a dialect
     * authorises with a link's token.
     */
    public boolean isPublic(String path) {
        return path.equals(HEALTH) || PAGES.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"))
                || publicPrefixes.stream().anyMatch(path::startsWith)
                || dialects.stream().anyMatch(d -> d.isTokenPath(path));
    }
}
