package dev.tabrunner.bench;

import dev.tabrunner.local.LocalServer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The local server ({@code ./tabrunner run}'s {@link LocalServer}) in a JVM of its own, so that its memory (and its
 * Chromium's) can be told apart from the benchmark's, driven over HTTP like any caller.
 */
final class BenchServer implements AutoCloseable {
    static final String KEY = "bench-admin-key";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Process process;
    private final String base;

    private BenchServer(Process process, String base) {
        this.process = process;
        this.base = base;
    }

    static BenchServer start(Map<String, String> settings) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        // e.g. -Dbench.serverJvm=-XX:StartFlightRecording=filename=server.jfr to profile the server
        String jvm = System.getProperty("bench.serverJvm", "");
        if (!jvm.isBlank()) {
            command.addAll(List.of(jvm.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LocalServer.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(settings);
        pb.environment().put("TABRUNNER_DATA_DIR", Files.createTempDirectory("tabrunner-bench").toString());
        pb.environment().put("TABRUNNER_PORT", "-1");
        pb.environment().put("TABRUNNER_ADMIN_KEY", KEY);
        pb.environment().put("TABRUNNER_LOG_LEVEL", "WARN");
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("Tabrunner is running at ")) {
                String base = line.substring("Tabrunner is running at ".length()).trim();
                // keep draining its output so that it never blocks on a full pipe
                Thread.ofPlatform().daemon().start(() -> out.lines().forEach(l -> { }));
                return new BenchServer(p, base);
            }
        }
        throw new IllegalStateException("the server did not start (exit " + p.waitFor() + ")");
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.header("Authorization", "Bearer " + KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String newSession() throws IOException, InterruptedException {
        HttpResponse<String> r = post("/browser/sessions", "{}");
        if (r.statusCode() != 201) {
            throw new IllegalStateException("session create failed: " + r.body());
        }
        String body = r.body();
        int i = body.indexOf("\"id\":\"") + 6;
        return body.substring(i, body.indexOf('"', i));
    }

    /** Runs a task and waits for it; returns the milliseconds the request took. */
    double runTask(String session, String task) throws IOException, InterruptedException {
        long t = System.nanoTime();
        HttpResponse<String> r = post("/browser/sessions/" + session + "/tasks", task);
        double ms = Report.ms(t);
        if (r.statusCode() != 201) {
            throw new IllegalStateException("task failed: " + r.body());
        }
        return ms;
    }

    void terminate(String session) throws IOException, InterruptedException {
        delete("/browser/sessions/" + session);
    }

    /** Memory of the server and every process it started (Chromium), in MB. */
    record Memory(double rssMb, double pssMb) {
    }

    /**
     * The resident memory of the server's JVM and its Chromium processes now: RSS summed over the processes (pages
     * they share counted once per process, as {@code top} shows them) and PSS (shared pages divided among their
     * processes: the sum is what the tree really occupies).
     */
    Memory memory() {
        double rss = 0;
        double pss = 0;
        for (ProcessHandle p : Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/smaps_rollup"))) {
                    if (line.startsWith("Rss:")) {
                        rss += kb(line);
                    } else if (line.startsWith("Pss:")) {
                        pss += kb(line);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process ended meanwhile
            }
        }
        return new Memory(rss / 1024, pss / 1024);
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("\\D+", ""));
    }

    /** Stops the server as Ctrl+C does (a flight recording it makes is written), then whatever it left. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
