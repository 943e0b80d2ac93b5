package dev.tabrunner.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The test websites: static pages from {@code fixtures/} on the classpath, served on loopback, plus a few
 * dynamic endpoints ({@code /redirect?to=}, {@code /slow?ms=}, {@code /echo}, {@code /download?name=}), an
 * attacker's collector ({@code /collect?k=} keeps what it is sent, {@code /collected?k=} tells it) and a site that
 * echoes the password of its GET login form back in its pages ({@code /get-login-done}). Tests never touch the
 * internet.
 */
public final class FixtureServer implements AutoCloseable {
    private static final Map<String, java.util.List<String>> COLLECTED = new java.util.concurrent.ConcurrentHashMap<>();
    private static volatile String lastGetLoginPassword = "";
    private final HttpServer server;

    private FixtureServer(HttpServer server) {
        this.server = server;
    }

    public static FixtureServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "fixture-server");
                t.setDaemon(true);
                return t;
            }));
            server.createContext("/", FixtureServer::handle);
            server.start();
            return new FixtureServer(server);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the fixture server", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> out = new HashMap<>();
        String q = exchange.getRequestURI().getRawQuery();
        if (q != null) {
            for (String pair : q.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            switch (path) {
                case "/redirect" -> {
                    exchange.getResponseHeaders().add("Location", query(exchange).getOrDefault("to", "/"));
                    exchange.sendResponseHeaders(302, -1);
                }
                case "/slow" -> {
                    try {
                        Thread.sleep(Long.parseLong(query(exchange).getOrDefault("ms", "1000")));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    send(exchange, 200, "text/html", "<html><body><p id=\"slow\">slow page</p></body></html>");
                }
                case "/echo" -> {
                    StringBuilder json = new StringBuilder("{");
                    exchange.getRequestHeaders().forEach((k, v) -> json.append('"').append(k.replace("\"", ""))
                            .append("\":\"").append(String.join(",", v).replace("\\", "\\\\").replace("\"", "\\\""))
                            .append("\","));
                    json.append("\"path\":\"").append(path).append("\"}");
                    send(exchange, 200, "application/json", json.toString());
                }
                case "/long" -> send(exchange, 200, "text/html", longPage(
                        Integer.parseInt(query(exchange).getOrDefault("kb", "1024")),
                        Integer.parseInt(query(exchange).getOrDefault("px", "4000"))));
                case "/collect" -> {
                    String raw = exchange.getRequestURI().getRawQuery() + " "
                            + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    COLLECTED.computeIfAbsent(query(exchange).getOrDefault("k", ""),
                            k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(raw);
                    send(exchange, 200, "text/html", "<html><body><form><input name=\"username\">"
                            + "<input type=\"password\" name=\"password\"></form></body></html>");
                }
                case "/collected" -> send(exchange, 200, "text/plain; charset=utf-8", String.join("\n",
                        COLLECTED.getOrDefault(query(exchange).getOrDefault("k", ""), java.util.List.of())));
                case "/get-login-done" -> {
                    String password = query(exchange).get("password");
                    if (password != null) {
                        lastGetLoginPassword = password;
                    }
                    exchange.getResponseHeaders().add("Set-Cookie", "session=get-form; Path=/");
                    send(exchange, 200, "text/html; charset=utf-8", "<!doctype html><html><head><title>Hello "
                            + html(lastGetLoginPassword) + "</title></head><body><p id=\"done\">Logged in</p>"
                            + "<p>Your password is " + html(lastGetLoginPassword) + ", or in entities "
                            + entities(lastGetLoginPassword) + "</p></body></html>");
                }
                case "/download" -> {
                    byte[] bytes = "downloaded bytes".getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
                    exchange.getResponseHeaders().add("Content-Disposition", "attachment; filename=\""
                            + query(exchange).getOrDefault("name", "file.bin") + "\"");
                    exchange.sendResponseHeaders(200, bytes.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                }
                default -> serveStatic(exchange, path.equals("/") ? "/index.html" : path);
            }
        }
    }

    /**
     * A page of about {@code kb} KB of HTML, about {@code px} pixels tall and busy (coloured blocks of random text,
     * so that a full-page PNG of it does not compress away); past the visible blocks the HTML is padded with a
     * comment. What makes a task's outputs large without making them slow to render.
     */
    static String longPage(int kb, int px) {
        java.util.Random random = new java.util.Random(kb + 31L * px);
        StringBuilder html = new StringBuilder("<!doctype html><html><head><title>Long page</title><style>"
                + "div{height:20px;overflow:hidden;white-space:nowrap}</style></head><body>");
        for (int block = 0; block < px / 20; block++) {
            html.append("<div style=\"background:#").append(String.format("%06x", random.nextInt(0x1000000)))
                    .append("\">").append(block).append(' ');
            for (int i = 0; i < 160; i++) {
                html.append((char) ('a' + random.nextInt(26)));
            }
            html.append("</div>");
        }
        html.append("<!--");
        while (html.length() < kb * 1024) {
            html.append((char) ('a' + random.nextInt(26)));
        }
        return html.append("--></body></html>").toString();
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String entities(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> out.append("&#").append(cp).append(';'));
        return out.toString();
    }

    private static void serveStatic(HttpExchange exchange, String path) throws IOException {
        if (path.contains("..")) {
            send(exchange, 400, "text/plain", "bad path");
            return;
        }
        try (InputStream in = FixtureServer.class.getResourceAsStream("/fixtures" + path)) {
            if (in == null) {
                send(exchange, 404, "text/html", "<html><body>not found</body></html>");
                return;
            }
            byte[] body = in.readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", contentType(path));
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String contentType(String path) {
        if (path.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (path.endsWith(".js")) {
            return "text/javascript";
        } else if (path.endsWith(".css")) {
            return "text/css";
        } else if (path.endsWith(".png")) {
            return "image/png";
        } else if (path.endsWith(".json")) {
            return "application/json";
        }
        return "text/plain; charset=utf-8";
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
