package dev.tabrunner.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The ad and tracker hosts a task with {@code use_adblock} may not reach: the bundled {@code adblock-hosts.txt}
 * (where it comes from and how to update it is written at its top). An entry covers its host and every host under
 * it. Read once per process, on first use.
 */
public final class AdBlockList {
    static final String RESOURCE = "adblock-hosts.txt";

    private final Set<String> hosts;

    private AdBlockList(Set<String> hosts) {
        this.hosts = Set.copyOf(hosts);
    }

    /** The bundled list. */
    public static AdBlockList bundled() {
        return Bundled.LIST;
    }

    private static final class Bundled {
        static final AdBlockList LIST = load();

        private static AdBlockList load() {
            try (InputStream in = AdBlockList.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the worker's classpath");
                }
                return parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + RESOURCE, e);
            }
        }
    }

    /** Reads the list's format: one host per line, {@code #} comments and blank lines ignored. */
    static AdBlockList parse(InputStream in) throws IOException {
        Set<String> hosts = new HashSet<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            String h = line.trim().toLowerCase(Locale.ROOT);
            if (!h.isEmpty() && !h.startsWith("#")) {
                hosts.add(h);
            }
        }
        return new AdBlockList(hosts);
    }

    /** The entries, as written (lower case). */
    public Set<String> hosts() {
        return hosts;
    }

    /** True when the host (canonical: lower case, no trailing dot) or a domain above it is on the list. */
    public boolean blocks(String host) {
        if (host == null) {
            return false;
        }
        String h = host;
        while (true) {
            if (hosts.contains(h)) {
                return true;
            }
            int dot = h.indexOf('.');
            if (dot < 0) {
                return false;
            }
            h = h.substring(dot + 1);
        }
    }
}
