package dev.tabrunner.browsing;

import dev.tabrunner.http.Dialect;
import dev.tabrunner.http.ErrorFormat;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The browsing API's paths (seed 003) and its error format. Its prefix is longer than browser-use v1's
 * {@code /api/v1/}, so its paths are its own.
 */
@Singleton
final class BrowsingDialect implements Dialect {
    /** The name browsing tasks carry ({@link dev.tabrunner.domain.DialectData#name()}). */
    static final String NAME = "browsing";
    static final String PREFIX = "/api/v1/browsing/";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of(PREFIX);
    }

    @Override
    public ErrorFormat errorFormat() {
        return BrowsingErrorFormat.INSTANCE;
    }
}
