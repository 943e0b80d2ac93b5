package dev.tabrunner.browseruse;

import dev.tabrunner.http.Dialect;
import dev.tabrunner.http.ErrorFormat;
import dev.tabrunner.http.FastApiErrorFormat;
import jakarta.inject.Singleton;

import java.util.List;

/** The browser-use v1 API's paths and its error format (FastAPI's, as the seeds show it). */
@Singleton
final class BrowserUseV1Dialect implements Dialect {
    /** The name v1 tasks carry ({@link dev.tabrunner.domain.DialectData#name()}). */
    static final String NAME = "browser-use-v1";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of("/api/v1/");
    }

    /**
     * A shared task's page ({@link PublicShareController}) and an upload link ({@code uploads/presigned-url})
     * authorise with the token in the link.
     */
    @Override
    public List<String> publicPathPrefixes() {
        return List.of("/share/", BrowserUseV1Controller.UPLOAD_LINKS);
    }

    @Override
    public ErrorFormat errorFormat() {
        return FastApiErrorFormat.INSTANCE;
    }
}
