package dev.tabrunner.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of HTTP/1.1 on a socket, as the {@link EgressProxy} needs them: a request's head read, a refusal
 * answered, one direction of a connection copied until it ends.
 */
final class ProxyWire {
    private static final int MAX_HEAD_BYTES = 65_536;

    private ProxyWire() {
    }

    static String authority(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    static int port(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Copies one direction until it ends and passes the end on as a half-close; a connection reset closes both
     * sides.
     */
    static void copy(InputStream in, Socket from, Socket to) {
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

    /** A request's or answer's head up to its blank line, or null when the stream ends first or it is too long. */
    static byte[] readHead(InputStream in) throws IOException {
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

    /**
     * Answers the request itself and ends the exchange: 400 malformed, 403 refused (marked blocked), 502 not carried.
     *
     * @param detail for a 403, the task's own reason shown on the page (null for the operator's, which stays
     *               generic); for a 502 with a target, why the task's upstream proxy did not carry the request
     */
    static void respond(Socket client, int status, String detail, String target) throws IOException {
        boolean upstream = status == 502 && target != null;
        String body;
        if (status == 403) {
            body = "<!doctype html><html><head><title>Blocked</title></head><body><h1>Blocked by Tabrunner</h1>"
                    + (detail == null ? "<p>This destination is not allowed by the egress policy.</p>"
                    : "<p>" + escape(detail) + ".</p>") + "</body></html>";
        } else if (upstream) {
            body = "<!doctype html><html><head><title>Proxy error</title></head><body><h1>Proxy error</h1><p>"
                    + escape(detail) + ".</p></body></html>";
        } else {
            body = "";
        }
        String text = status == 403 ? "Forbidden" : status == 502 ? "Bad Gateway" : "Bad Request";
        String head = "HTTP/1.1 " + status + " " + text + "\r\n"
                + (status == 403 ? EgressProxy.BLOCKED_HEADER + ": blocked\r\n" : "")
                + (upstream ? EgressProxy.BLOCKED_HEADER + ": " + EgressProxy.UPSTREAM_FAILED + "\r\n" : "")
                + "Content-Type: text/html; charset=utf-8\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n";
        OutputStream out = client.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
