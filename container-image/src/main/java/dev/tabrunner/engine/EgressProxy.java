package dev.tabrunner.engine;

import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.egress.UpstreamProxies.Upstream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
 *
 * <p>The running task may restrict this further ({@link Listener#refuse}) and may have its allowed requests leave
 * through one of the operator's upstream HTTP proxies ({@link Listener#upstream}): plain HTTP is forwarded to it in
 * absolute form, TLS and WebSockets go through a {@code CONNECT} tunnel it opens. The upstream proxy's own address
 * is operator configuration and not subject to the egress policy; the destination's name is still checked here
 * first, and is then resolved by the upstream proxy (that is what a country's proxy is for). When the upstream
 * proxy cannot be reached or refuses, the page gets a 502 marked {@value #BLOCKED_HEADER}{@code : }
 * {@value #UPSTREAM_FAILED}.
 */
public final class EgressProxy implements AutoCloseable {
    public static final String BLOCKED_HEADER = "X-Tabrunner-Egress";
    /** The {@value #BLOCKED_HEADER} value of a request the task's upstream proxy did not carry. */
    public static final String UPSTREAM_FAILED = "upstream-failed";
    private static final Logger LOG = LoggerFactory.getLogger(EgressProxy.class);
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

        /** The upstream proxy allowed requests leave through, or null to connect directly. */
        default Upstream upstream() {
            return null;
        }

        /** A request that was allowed but that the upstream proxy did not carry (unreachable, or refused it). */
        default void upstreamFailed(String method, String target, String reason) {
        }
    }

    /** Where an allowed request goes: the addresses the policy resolved, or through the task's upstream proxy. */
    private record Route(List<InetAddress> addresses, Upstream upstream) {
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
            byte[] head = ProxyWire.readHead(in);
            if (head == null) {
                return;
            }
            String text = new String(head, StandardCharsets.ISO_8859_1);
            String requestLine = text.substring(0, text.indexOf("\r\n"));
            String[] parts = requestLine.split(" ");
            if (parts.length != 3) {
                ProxyWire.respond(client, 400, "malformed request line", null);
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
            ProxyWire.respond(client, 400, "CONNECT needs host:port", null);
            return;
        }
        String host = authority.substring(0, colon);
        int port = ProxyWire.port(authority.substring(colon + 1));
        Route route = check(client, "CONNECT", authority, host, port);
        if (route == null) {
            return;
        }
        Socket upstream = route.upstream() == null ? connect(client, route, host, port)
                : throughUpstream(client, route.upstream(), "CONNECT", authority, authority);
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
            ProxyWire.respond(client, 400, "malformed request target", null);
            return;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("ws")) {
            report(method, target, "the scheme '" + scheme + "' is not allowed");
            ProxyWire.respond(client, 403, null, target);
            return;
        }
        String host = uri.getHost() != null ? uri.getHost() : uri.getRawAuthority();
        int port = uri.getPort() > 0 ? uri.getPort() : 80;
        Route route = check(client, method, target, host, port);
        if (route == null) {
            return;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        boolean upgrade = false;
        StringBuilder headers = new StringBuilder();
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
            headers.append(line).append("\r\n");
        }
        Upstream via = route.upstream();
        // plain HTTP goes to an upstream proxy in absolute form; a WebSocket upgrade through a tunnel, which is what
        // HTTP proxies carry reliably
        boolean absolute = via != null && !upgrade;
        Socket upstream;
        if (via == null) {
            upstream = connect(client, route, host, port);
        } else if (upgrade) {
            upstream = throughUpstream(client, via, method, target, ProxyWire.authority(host, port));
        } else {
            upstream = openUpstream(client, via, method, target);
        }
        if (upstream == null) {
            return;
        }
        try (upstream) {
            StringBuilder rewritten = new StringBuilder(method).append(' ').append(absolute ? target : path)
                    .append(" HTTP/1.1\r\n").append(headers);
            if (absolute && via.authorization() != null) {
                rewritten.append("Proxy-Authorization: ").append(via.authorization()).append("\r\n");
            }
            // one request per upstream connection: the next request on this client connection may be for another
            // host, and each must be checked on its own
            rewritten.append(upgrade ? "Connection: Upgrade\r\n" : "Connection: close\r\n").append("\r\n");
            OutputStream up = upstream.getOutputStream();
            up.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
            up.flush();
            if (absolute) {
                pipeFromUpstreamProxy(client, in, upstream, method, target);
            } else {
                pipe(client, in, upstream);
            }
        }
    }

    /**
     * Checks the destination against the operator's policy and the task's rules; answers the client itself and
     * returns null when refused.
     */
    private Route check(Socket client, String method, String target, String host, int port) throws IOException {
        if (port <= 0 || port > 65_535) {
            ProxyWire.respond(client, 400, "invalid port", target);
            return null;
        }
        EgressPolicy.Verdict verdict = policy.checkHost(host);
        String reason = verdict.allowed() ? null : verdict.reason();
        Listener l = listener;
        String taskReason = null;
        if (reason == null && l != null) {
            taskReason = l.refuse(verdict.host());
            reason = taskReason;
        }
        report(method, target, reason);
        if (reason != null) {
            // a task's own refusal is shown on the page, which is how an agent that opened it learns why
            ProxyWire.respond(client, 403, taskReason, target);
            return null;
        }
        return new Route(verdict.addresses(), l == null ? null : l.upstream());
    }

    /** Connects to an address the policy resolved; answers 502 and returns null when none answers. */
    private Socket connect(Socket client, Route route, String host, int port) throws IOException {
        IOException last = null;
        for (InetAddress address : route.addresses()) {
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
                return upstream;
            } catch (IOException e) {
                upstream.close();
                last = e;
            }
        }
        ProxyWire.respond(client, 502, "could not connect to " + host + ":" + port
                + (last == null ? "" : " (" + last.getMessage() + ")"), null);
        return null;
    }

    /** Connects to the task's upstream proxy; answers 502 and returns null when it cannot be reached. */
    private Socket openUpstream(Socket client, Upstream via, String method, String target) throws IOException {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(via.host(), via.port()), CONNECT_TIMEOUT_MS);
            return upstream;
        } catch (IOException e) {
            upstream.close();
            LOG.warn("upstream proxy {} unreachable: {}", via, e.getMessage());
            upstreamFailed(client, method, target, "the upstream proxy could not be reached (" + e.getMessage()
                    + ")");
            return null;
        }
    }

    /**
     * Opens a tunnel to {@code authority} through the task's upstream proxy ({@code CONNECT} with the operator's
     * credentials); answers 502 and returns null when the proxy cannot be reached or does not answer 200.
     */
    private Socket throughUpstream(Socket client, Upstream via, String method, String target, String authority)
            throws IOException {
        Socket upstream = openUpstream(client, via, method, target);
        if (upstream == null) {
            return null;
        }
        String status;
        try {
            String connect = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n"
                    + (via.authorization() == null ? "" : "Proxy-Authorization: " + via.authorization() + "\r\n")
                    + "\r\n";
            OutputStream up = upstream.getOutputStream();
            up.write(connect.getBytes(StandardCharsets.ISO_8859_1));
            up.flush();
            // a proxy that accepts the connection but never answers must not hold the page
            upstream.setSoTimeout(CONNECT_TIMEOUT_MS);
            // unbuffered: after the head, the tunnel's bytes belong to the client
            byte[] head = ProxyWire.readHead(upstream.getInputStream());
            upstream.setSoTimeout(0);
            if (head == null) {
                status = "closed the connection";
            } else {
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String line = text.substring(0, text.indexOf("\r\n"));
                String[] parts = line.split(" ", 3);
                if (parts.length >= 2 && parts[1].equals("200")) {
                    return upstream;
                }
                status = "answered " + (parts.length >= 2 ? String.join(" ", List.of(parts).subList(1,
                        parts.length)) : line);
            }
        } catch (IOException e) {
            status = "failed (" + e.getMessage() + ")";
        }
        upstream.close();
        LOG.warn("upstream proxy {} did not open a tunnel to {}: {}", via, authority, status);
        upstreamFailed(client, method, target, "the upstream proxy " + status + " to CONNECT " + authority);
        return null;
    }

    private void upstreamFailed(Socket client, String method, String target, String reason) throws IOException {
        Listener l = listener;
        if (l != null) {
            l.upstreamFailed(method, target, reason);
        }
        ProxyWire.respond(client, 502, reason, target);
    }

    private void report(String method, String target, String reason) {
        Listener l = listener;
        if (l != null) {
            l.request(method, target, reason);
        }
        if (reason != null) {
            // at DEBUG: a refusal a page caused is in its task's network log; one it did not (the browser's own
            // background requests) belongs to no task and must not fill the log
            LOG.debug("egress refused {} {}: {}", method, target, reason);
        }
    }

    /** Copies both directions until both have ended; each side's end is passed on as a half-close. */
    private void pipe(Socket client, InputStream clientIn, Socket upstream) throws IOException {
        client.setSoTimeout(0);
        java.util.concurrent.Future<?> upward = threads.submit(() -> ProxyWire.copy(clientIn, client, upstream));
        ProxyWire.copy(upstream.getInputStream(), upstream, client);
        try {
            upward.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("egress proxy upward copy did not end cleanly: {}", e.toString());
        }
    }

    /**
     * Like {@link #pipe}, but the answer's head is looked at first: a 407 is the upstream proxy refusing the
     * operator's credentials, not the site's answer, and becomes the same 502 as a refused tunnel.
     */
    private void pipeFromUpstreamProxy(Socket client, InputStream clientIn, Socket upstream, String method,
                                       String target) throws IOException {
        client.setSoTimeout(0);
        // the request's body goes up while the answer is awaited: a proxy may wait for the body before answering
        java.util.concurrent.Future<?> upward = threads.submit(() -> ProxyWire.copy(clientIn, client, upstream));
        // unbuffered, so that the rest of the answer is still in the socket for the copy below
        InputStream answer = upstream.getInputStream();
        byte[] head = ProxyWire.readHead(answer);
        String[] statusLine = head == null ? new String[0]
                : new String(head, StandardCharsets.ISO_8859_1).split(" ", 3);
        if (head == null || statusLine.length > 1 && statusLine[1].equals("407")) {
            upward.cancel(true);
            String reason = head == null ? "the upstream proxy closed the connection without an answer"
                    : "the upstream proxy answered 407 Proxy Authentication Required";
            LOG.warn("upstream proxy did not carry {} {}: {}", method, target, reason);
            upstreamFailed(client, method, target, reason);
            return;
        }
        OutputStream out = client.getOutputStream();
        out.write(head);
        out.flush();
        ProxyWire.copy(answer, upstream, client);
        try {
            upward.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                 | java.util.concurrent.CancellationException e) {
            LOG.debug("egress proxy upward copy did not end cleanly: {}", e.toString());
        }
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
