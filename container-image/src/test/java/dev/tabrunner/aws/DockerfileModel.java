package dev.tabrunner.aws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The parts of {@code container-image/Dockerfile} the tests check: ENV, COPY, ENTRYPOINT, CMD, ARG defaults. */
record DockerfileModel(Map<String, String> env, List<String[]> copies, List<String> entrypoint, List<String> cmd,
                       Map<String, String> args, String text) {
    static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Pattern ASSIGNMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");

    static DockerfileModel read() {
        String text;
        try {
            text = Files.readString(DOCKERFILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.trim().startsWith("#")) {
                continue;
            }
            String trimmed = line.strip();
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                instructions.add(current.append(trimmed).toString());
                current = new StringBuilder();
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> args = new LinkedHashMap<>();
        List<String[]> copies = new ArrayList<>();
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        for (String instruction : instructions) {
            String keyword = instruction.split("\\s+", 2)[0].toUpperCase();
            String rest = instruction.substring(keyword.length()).trim();
            switch (keyword) {
                case "ENV" -> {
                    Matcher m = ASSIGNMENT.matcher(rest);
                    while (m.find()) {
                        env.put(m.group(1), m.group(2).replaceAll("^\"|\"$", ""));
                    }
                }
                case "ARG" -> {
                    String[] kv = rest.split("=", 2);
                    args.put(kv[0], kv.length > 1 ? kv[1] : null);
                }
                // a COPY --from another stage takes nothing from the build context
                case "COPY" -> {
                    if (!rest.startsWith("--from=")) {
                        copies.add(rest.split("\\s+"));
                    }
                }
                case "ENTRYPOINT" -> entrypoint = jsonArray(rest);
                case "CMD" -> cmd = jsonArray(rest);
                default -> {
                    // FROM, RUN, WORKDIR: checked on the text where needed
                }
            }
        }
        return new DockerfileModel(env, copies, entrypoint, cmd, args, text);
    }

    private static List<String> jsonArray(String rest) {
        try {
            JsonNode node = Json.mapper().readTree(rest);
            List<String> out = new ArrayList<>();
            node.forEach(n -> out.add(n.asText()));
            return out;
        } catch (IOException e) {
            throw new AssertionError("exec form (a JSON array) expected: " + rest, e);
        }
    }

    /** A COPY source with build arguments replaced by their defaults. */
    String resolve(String source) {
        String out = source;
        for (Map.Entry<String, String> a : args.entrySet()) {
            out = out.replace("${" + a.getKey() + "}", a.getValue() == null ? "" : a.getValue());
        }
        return out;
    }

    /** The image's environment as the worker sees it, with {@code /tmp} moved to {@code tmp} for a local run. */
    Map<String, String> envWithTmpAt(Path tmp) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, v.replace("/tmp", tmp.toString())));
        return out;
    }
}
