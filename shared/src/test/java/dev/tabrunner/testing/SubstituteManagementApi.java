package dev.tabrunner.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API Gateway WebSocket management API on loopback, answering as the real one does (its paths, its error header),
 * so that the real SDK client pointed at it with {@code endpointOverride} sends the requests it sends on AWS. Posts
 * to a connection marked gone answer 410 {@code GoneException}.
 */
public final class SubstituteManagementApi implements AutoCloseable {
    /** The endpoint's stage, as in a callback URL {@code https://<api>.execute-api.<region>.amazonaws.com/live}. */
    public static final String STAGE = "live";
    private static final Pattern CONNECTION = Pattern.compile("/" + STAGE + "/@connections/([^/]+)");

    /** One request as it arrived: what, to which connection, when ({@link System#nanoTime}). */
    public record Received(String method, String connectionId, String body, long nanos, boolean signed) {
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> gone = ConcurrentHashMap.newKeySet();

    public SubstituteManagementApi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long nanos = System.nanoTime();
            Matcher m = CONNECTION.matcher(exchange.getRequestURI().getRawPath());
            if (!m.matches()) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String id = java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            boolean signed = authorization != null && authorization.startsWith("AWS4-HMAC-SHA256 ")
                    && authorization.contains("/execute-api/aws4_request");
            received.add(new Received(exchange.getRequestMethod(), id, new String(body, StandardCharsets.UTF_8),
                    nanos, signed));
            if (gone.contains(id)) {
                byte[] error = "{\"message\":\"the connection is gone\"}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "GoneException");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(410, error.length);
                exchange.getResponseBody().write(error);
                return;
            }
            exchange.sendResponseHeaders(exchange.getRequestMethod().equals("DELETE") ? 204 : 200, -1);
        }
    }

    /** Posts to this connection answer 410 from now on, as for a viewer whose browser went away. */
    public void markGone(String connectionId) {
        gone.add(connectionId);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Received> received(Predicate<Received> which) {
        return received.stream().filter(which).toList();
    }

    /** Waits until {@code count} requests match, at most {@code timeout}; returns those that arrived. */
    public List<Received> await(Predicate<Received> which, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received(which).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        return received(which);
    }

    /** The callback URL a worker is configured with: {@code http://127.0.0.1:<port>/live}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + STAGE);
    }

    /** The real SDK client, signed with test credentials, pointed here. */
    public ApiGatewayManagementApiClient client() {
        return ApiGatewayManagementApiClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .httpClient(ApacheHttpClient.create()).build();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
