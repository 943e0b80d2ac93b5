package dev.tabrunner.nativeapi;

import dev.tabrunner.http.Dialect;
import dev.tabrunner.http.ErrorFormat;
import dev.tabrunner.http.ProductErrorFormat;
import jakarta.inject.Singleton;

import java.util.List;

/** The native API's paths and its error format, the product's own. */
@Singleton
final class NativeDialect implements Dialect {
    @Override
    public String name() {
        return "native";
    }

    @Override
    public List<String> pathPrefixes() {
        return List.of("/browser/");
    }

    /**
     * The live view authorises with the token in its link ({@link LiveViewController}), and so does a recorded task's
     * replay page ({@link ReplayController}).
     */
    @Override
    public List<String> publicPathPrefixes() {
        return List.of("/live/", "/replay/");
    }

    @Override
    public ErrorFormat errorFormat() {
        return ProductErrorFormat.INSTANCE;
    }
}
