package dev.tabrunner.recording;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * rrweb as the build bundled it from the npm registry (the lock file in {@code shared/src/main/rrweb}): one script
 * that holds both the recorder the worker injects and the replayer of the replay page, and the replayer's styles.
 */
public final class RrwebBundle {
    private static final String BASE = "/dev/tabrunner/recording/";

    private RrwebBundle() {
    }

    /** The UMD bundle; run as a script it defines {@code rrweb} on its {@code this} when no module system is seen. */
    public static String script() {
        return Holder.SCRIPT;
    }

    /** The replayer's style sheet. */
    public static String styles() {
        return Holder.STYLES;
    }

    private static String read(String name) {
        try (InputStream in = RrwebBundle.class.getResourceAsStream(BASE + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path: the build bundles it"
                        + " (npm ci in shared/)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Read once, when first needed: 280 KB that a process not recording or replaying never loads. */
    private static final class Holder {
        static final String SCRIPT = read("rrweb.umd.min.cjs");
        static final String STYLES = read("style.min.css");
    }
}
