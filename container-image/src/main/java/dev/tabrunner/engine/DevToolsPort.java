package dev.tabrunner.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a Chromium launched with {@code --remote-debugging-port=0} listens: it writes the port it was given and its
 * browser target's path to {@code DevToolsActivePort} in its profile directory.
 */
final class DevToolsPort {
    private DevToolsPort() {
    }

    static Optional<String> read(Path profileDir) {
        try {
            List<String> lines = Files.readAllLines(profileDir.resolve("DevToolsActivePort"), StandardCharsets.UTF_8);
            if (lines.size() < 2 || !lines.get(0).trim().matches("\\d{1,5}")) {
                return Optional.empty();
            }
            return Optional.of("ws://127.0.0.1:" + lines.get(0).trim() + lines.get(1).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
