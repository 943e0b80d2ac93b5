package dev.tabrunner.infrastructure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@code context} block of {@code cdk.json}: feature flags and our defaults. The cdk CLI hands it to the app
 * through {@code CDK_CONTEXT_JSON}; this reads it when the app (or a test) runs without the CLI, so every way of
 * synthesizing gives the same templates.
 */
final class CdkJson {

    private CdkJson() {
    }

    /**
     * @param file the cdk.json to read
     * @return its {@code context} object; empty when the file or the block is absent
     * @throws UncheckedIOException when the file exists but cannot be read or parsed
     */
    static Map<String, Object> context(Path file) {
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            Map<String, Object> json = new ObjectMapper().readValue(file.toFile(), new TypeReference<>() { });
            Object context = json.get("context");
            if (!(context instanceof Map)) {
                return Map.of();
            }
            Map<String, Object> result = new LinkedHashMap<>();
            ((Map<?, ?>) context).forEach((key, value) -> result.put(key.toString(), value));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
    }
}
