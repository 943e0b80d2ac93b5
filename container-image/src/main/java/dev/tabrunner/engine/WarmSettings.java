package dev.tabrunner.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How many sessions' browser contexts a worker process keeps warm between their tasks ({@link WarmContexts}).
 *
 * @param maxSessions  at most this many in the process ({@code TABRUNNER_WARM_SESSIONS}, default 8; 0 keeps none,
 *                     and every task restores its session from the saved state)
 * @param minFreeBytes below this much available memory a context is evicted each time one is kept
 *                     ({@code TABRUNNER_WARM_MIN_FREE_MB}, default 512)
 */
public record WarmSettings(int maxSessions, long minFreeBytes) {
    public static final int DEFAULT_SESSIONS = 8;
    public static final long DEFAULT_MIN_FREE_MB = 512;

    public static WarmSettings from(Map<String, String> env) {
        return new WarmSettings((int) setting(env, "TABRUNNER_WARM_SESSIONS", DEFAULT_SESSIONS),
                setting(env, "TABRUNNER_WARM_MIN_FREE_MB", DEFAULT_MIN_FREE_MB) * 1024 * 1024);
    }

    private static long setting(Map<String, String> env, String name, long fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : Long.parseLong(v.trim());
    }

    /**
     * The memory this process may still use: the kernel's {@code MemAvailable}, or less when a cgroup (a container's
     * memory limit) leaves less. {@link Long#MAX_VALUE} when neither can be read.
     */
    static long availableMemoryBytes() {
        long available = Long.MAX_VALUE;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    available = Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no bound from the kernel
        }
        try {
            List<String> max = Files.readAllLines(Path.of("/sys/fs/cgroup/memory.max"));
            List<String> current = Files.readAllLines(Path.of("/sys/fs/cgroup/memory.current"));
            if (!max.isEmpty() && !current.isEmpty() && !"max".equals(max.get(0).trim())) {
                available = Math.min(available, Long.parseLong(max.get(0).trim())
                        - Long.parseLong(current.get(0).trim()));
            }
        } catch (IOException | RuntimeException e) {
            // no cgroup v2 memory limit
        }
        return available;
    }
}
