package dev.tabrunner.nativeapi;

import dev.tabrunner.http.Dialect;
import dev.tabrunner.http.ErrorFormat;
import dev.tabrunner.http.ProductErrorFormat;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.regex.Pattern;

/** The native API's paths and its error format, the product's own. */
@Singleton
final class NativeDialect implements Dialect {
    private static final Pattern CDP_PATH = Pattern.compile("/browser/sessions/[^/]+/cdp");

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

    /** The CDP gateway authorises with the token in its link ({@code dev.tabrunner.connect.CdpGateway}). */
    @Override
    public boolean isTokenPath(String path) {
        return CDP_PATH.matcher(path).matches();
    }

    @Override
    public ErrorFormat errorFormat() {
        return ProductErrorFormat.INSTANCE;
    }
}
