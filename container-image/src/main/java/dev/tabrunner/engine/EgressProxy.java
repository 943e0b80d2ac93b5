package dev.tabrunner.engine;

import dev.tabrunner.egress.EgressPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The browser's only way out. Chromium is launched with this HTTP proxy for every request, loopback included
 * ({@code <-loopback>}), so every request a page makes — navigations, redirects, subresources, popups, iframes,
 * fetch/XHR, WebSockets, service workers — arrives here as a plain HTTP request or a CONNECT tunnel. Each one is
 * checked against the {@link EgressPolicy} and, when allowed, connected to the address the policy resolved (never
 * re-resolved, so DNS cannot change its answer in between). Refused requests get a 403 marked with
 * {@value #BLOCKED_HEADER}.
 */
public final class EgressProxy implements AutoCloseable {
    public static final String BLOCKED_HEADER = "X-Tabrunner-Egress";
    private static final Logger LOG = LoggerFactory.getLogger(EgressProxy.class);
    private static final int MAX_HEAD_BYTES = 65_536;
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    /** Told about every request that passes through, so the task can keep a network log. */
    public interface Listener {
        /**
         * @param target the URL, or {@code host:port} for a tunnel (HTTPS, WSS)
         * @param reason null when the request was let through
         */
        void request(String method, String target, String reason);

        /** An additional, per-task restriction on top of the operator's policy; null when the host may pass. */
        default String refuse(String host) {
            return null;
        }
    }

    private final EgressPolicy policy;
    private final ServerSocket server;
    private final ExecutorService threads;
    private volatile Listener listener;

    private EgressProxy(EgressPolicy policy, ServerSocket server) {
        this.policy = policy;
        this.server = server;
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tabrunner-egress");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts listening on a free loopback port. */
    public static EgressProxy start(EgressPolicy policy) {
        try {
            ServerSocket server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
            EgressProxy proxy = new EgressProxy(policy, server);
            proxy.threads.execute(proxy::acceptLoop);
            return proxy;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the egress proxy", e);
        }
    }

    public String address() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public EgressPolicy policy() {
        return policy;
    }

    /** Where requests are reported from now on (the running task), or null for nowhere. */
    public void listener(Listener value) {
        this.listener = value;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.execute(() -> handle(client));
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("egress proxy accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            client.setSoTimeout(30_000);
            // buffered: the head is read byte by byte, and whatever follows it stays in this buffer for the pipe
            InputStream in = new java.io.BufferedInputStream(client.getInputStream());
            byte[] head = readHead(in);
            if (head == null) {
                return;
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            String requestLine = text.substring(0, text.indexOf("\r\n"));
            String[] parts = requestLine.split(" ");
            if (parts.length != 3) {
                respond(client, 400, "malformed request line", null);
                return;
            }
            String method = parts[0].toUpperCase(Locale.ROOT);
            if (method.equals("CONNECT")) {
                tunnel(client, in, parts[1]);
            } else {
                forward(client, method, parts[1], text, in);
            }
        } catch (IOException e) {
            LOG.debug("egress proxy connection ended: {}", e.getMessage());
        }
    }

    private void tunnel(Socket client, InputStream in, String authority) throws IOException {
        int colon = authority.lastIndexOf(':');
        if (colon < 0) {
            respond(client, 400, "CONNECT needs host:port", null);
            return;
        }
        String host = authority.substring(0, colon);
        int port = port(authority.substring(colon + 1));
        Socket upstream = open(client, "CONNECT", authority, host, port);
        if (upstream == null) {
            return;
        }
        try (upstream) {
            OutputStream out = client.getOutputStream();
            out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            pipe(client, in, upstream);
        }
    }

    private void forward(Socket client, String method, String target, String head, InputStream in)
            throws IOException {
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException | NumberFormatException e) {
            respond(client, 400, "malformed request target", null);
            return;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("ws")) {
            report(method, target, "the scheme '" + scheme + "' is not allowed");
            respond(client, 403, "the scheme '" + scheme + "' is not allowed", target);
            return;
        }
        String host = uri.getHost() != null ? uri.getHost() : uri.getRawAuthority();
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        Socket upstream = open(client, method, target, host, port);
        if (upstream == null) {
            return;
        }
        try (upstream) {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                path += "?" + uri.getRawQuery();
            }
            StringBuilder rewritten = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            boolean upgrade = false;
            String[] lines = head.split("\r\n");
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                if (line.isEmpty()) {
                    continue;
                }
                String name = line.substring(0, Math.max(0, line.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
                if (name.equals("upgrade")) {
                    upgrade = true;
                }
                if (name.startsWith("proxy-") || name.equals("connection") || name.equals("keep-alive")) {
                    continue;
                }
                rewritten.append(line).append("\r\n");
            }
            // one request per upstream connection: the next request on this client connection may be for another
            // host, and each must be checked on its own
            rewritten.append(upgrade ? "Connection: Upgrade\r\n" : "Connection: close\r\n").append("\r\n");
            OutputStream up = upstream.getOutputStream();
            up.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
            up.flush();
            pipe(client, in, upstream);
        }
    }

    /** Checks the destination and connects to it; answers the client itself and returns null when refused. */
    private Socket open(Socket client, String method, String target, String host, int port) throws IOException {
        if (port <= 0 || port > 65_535) {
            respond(client, 400, "invalid port", target);
            return null;
        }
        EgressPolicy.Verdict verdict = policy.checkHost(host);
        String reason = verdict.allowed() ? null : verdict.reason();
        Listener l = listener;
        if (reason == null && l != null) {
            reason = l.refuse(verdict.host());
        }
        report(method, target, reason);
        if (reason != null) {
            respond(client, 403, reason, target);
            return null;
        }
        IOException last = null;
        for (InetAddress address : verdict.addresses()) {
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
                return upstream;
            } catch (IOException e) {
                upstream.close();
                last = e;
            }
        }
        respond(client, 502, "could not connect to " + host + ":" + port
                + (last == null ? "" : " (" + last.getMessage() + ")"), null);
        return null;
    }

    private void report(String method, String target, String reason) {
        Listener l = listener;
        if (l != null) {
            l.request(method, target, reason);
        }
        if (reason != null) {
            LOG.info("egress refused {} {}: {}", method, target, reason);
        }
    }

    private static int port(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Copies both directions until both have ended; each side's end is passed on as a half-close. */
    private void pipe(Socket client, InputStream clientIn, Socket upstream) throws IOException {
        client.setSoTimeout(0);
        java.util.concurrent.Future<?> upward = threads.submit(() -> copy(clientIn, client, upstream));
        copy(upstream.getInputStream(), upstream, client);
        try {
            upward.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("egress proxy upward copy did not end cleanly: {}", e.toString());
        }
    }

    private static void copy(InputStream in, Socket from, Socket to) {
        byte[] buffer = new byte[16_384];
        try {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (SocketException e) {
            closeQuietly(to);
            closeQuietly(from);
        } catch (IOException e) {
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (head.size() < MAX_HEAD_BYTES) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toByteArray();
            }
        }
        return null;
    }

    private static void respond(Socket client, int status, String reason, String target) throws IOException {
        String body = status == 403
                ? "<!doctype html><html><head><title>Blocked</title></head><body><h1>Blocked by Tabrunner</h1>"
                + "<p>This destination is not allowed by the egress policy.</p></body></html>"
                : "";
        String text = status == 403 ? "Forbidden" : status == 502 ? "Bad Gateway" : "Bad Request";
        String head = "HTTP/1.1 " + status + " " + text + "\r\n"
                + (status == 403 ? BLOCKED_HEADER + ": blocked\r\n" : "")
                + "Content-Type: text/html; charset=utf-8\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n";
        OutputStream out = client.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        threads.shutdownNow();
    }
}
