package dev.tabrunner.http;

import io.micronaut.http.HttpRequest;

import java.util.regex.Pattern;

/**
 * The scheme and host a caller reached the API at, for the absolute URLs some responses carry (browser-use v1's
 * {@code live_url}, {@code public_share_url}): behind API Gateway or a load balancer, the forwarded headers; else
 * the request's own Host.
 */
public final class PublicBase {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]{1,300}");

    private PublicBase() {
    }

    public static String of(HttpRequest<?> request) {
        String proto = first(request.getHeaders().get("X-Forwarded-Proto"));
        String host = first(request.getHeaders().get("X-Forwarded-Host"));
        if (host == null) {
            host = first(request.getHeaders().get("Host"));
        }
        if (host == null || !HOST.matcher(host).matches()) {
            host = request.getServerAddress().getHostString() + ":" + request.getServerAddress().getPort();
        }
        if (proto == null || !(proto.equals("http") || proto.equals("https"))) {
            proto = request.isSecure() ? "https" : "http";
        }
        return proto + "://" + host;
    }

    private static String first(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        int comma = header.indexOf(',');
        return (comma < 0 ? header : header.substring(0, comma)).trim();
    }
}
