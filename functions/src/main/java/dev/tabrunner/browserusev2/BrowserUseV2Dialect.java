package dev.tabrunner.browserusev2;

import dev.tabrunner.http.Dialect;
import dev.tabrunner.http.ErrorFormat;
import dev.tabrunner.http.FastApiErrorFormat;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;

/**
 * The browser-use v2 API's paths, its key header and its error format (FastAPI's, as the official SDK reads it:
 * {@code detail}, a string or a list of request problems).
 */
@Singleton
final class BrowserUseV2Dialect implements Dialect {
    /** The name v2 tasks carry ({@link dev.tabrunner.domain.DialectData#name()}). */
    static final String NAME = "browser-use-v2";
    static final String BASE = "/api/v2";
    /** Where the links of {@code files/sessions/{id}/presigned-url} point: the token in the path is the grant. */
    static final String UPLOAD_LINKS = BASE + "/uploads/";
    /** Where a session's public share is read: the token in the path is the grant. */
    static final String SHARED = BASE + "/shared/";
    static final String KEY_HEADER = "X-Browser-Use-API-Key";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of(BASE + "/");
    }

    @Override
    public List<String> publicPathPrefixes() {
        return List.of(UPLOAD_LINKS, SHARED);
    }

    @Override
    public Optional<String> apiKeyHeader() {
        return Optional.of(KEY_HEADER);
    }

    @Override
    public ErrorFormat errorFormat() {
        return FastApiErrorFormat.INSTANCE;
    }
}
