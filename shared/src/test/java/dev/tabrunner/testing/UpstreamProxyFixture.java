package dev.tabrunner.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An operator's upstream HTTP proxy on loopback, for tests: forwards absolute-form requests and opens CONNECT
 * tunnels, and records each request line with the {@code Proxy-Authorization} it came with. Answers 407 when the
 * credentials are not the expected ones. Every destination is reached on loopback (the test's host names are its
 * own), keeping the port asked for.
 */
public final class UpstreamProxyFixture implements AutoCloseable {
    /** One request the proxy received. */
    public record Seen(String requestLine, String authorization) {
        public String method() {
            return requestLine.substring(0, requestLine.indexOf(' '));
        }

        public String target() {
            return requestLine.split(" ")[1];
        }
    }

    private final ServerSocket server;
    private final String expectedAuthorization;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "upstream-proxy-fixture");
        t.setDaemon(true);
        return t;
    });

    private UpstreamProxyFixture(ServerSocket server, String expectedAuthorization) {
        this.server = server;
        this.expectedAuthorization = expectedAuthorization;
    }

    /** @param expectedAuthorization the {@code Proxy-Authorization} value it requires, or null for none */
    public static UpstreamProxyFixture start(String expectedAuthorization) throws IOException {
        UpstreamProxyFixture f = new UpstreamProxyFixture(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                expectedAuthorization);
        f.threads.execute(f::acceptLoop);
        return f;
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public void clear() {
        seen.clear();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> handle(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n");
            String authorization = null;
            StringBuilder forwarded = new StringBuilder();
            for (int i = 1; i < lines.length; i++) {
                String name = lines[i].substring(0, Math.max(0, lines[i].indexOf(':'))).toLowerCase(Locale.ROOT);
                if (name.equals("proxy-authorization")) {
                    authorization = lines[i].substring(lines[i].indexOf(':') + 1).trim();
                } else if (!lines[i].isEmpty()) {
                    forwarded.append(lines[i]).append("\r\n");
                }
            }
            seen.add(new Seen(lines[0], authorization));
            OutputStream out = client.getOutputStream();
            if (expectedAuthorization != null && !expectedAuthorization.equals(authorization)) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"t\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            String[] parts = lines[0].split(" ");
            if (parts[0].equals("CONNECT")) {
                int port = Integer.parseInt(parts[1].substring(parts[1].lastIndexOf(':') + 1));
                try (Socket target = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    pipe(client, in, target);
                }
                return;
            }
            URI uri = URI.create(parts[1]);
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            try (Socket target = new Socket(InetAddress.getLoopbackAddress(), uri.getPort() > 0 ? uri.getPort() : 80)) {
                target.getOutputStream().write((parts[0] + " " + path + " HTTP/1.1\r\n" + forwarded + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                pipe(client, in, target);
            }
        } catch (IOException | RuntimeException e) {
            // the connection ended
        }
    }

    private void pipe(Socket client, InputStream clientIn, Socket target) throws IOException {
        threads.execute(() -> {
            try {
                clientIn.transferTo(target.getOutputStream());
                target.shutdownOutput();
            } catch (IOException ignored) {
                // one side closed
            }
        });
        target.getInputStream().transferTo(client.getOutputStream());
        client.shutdownOutput();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String s = head.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
