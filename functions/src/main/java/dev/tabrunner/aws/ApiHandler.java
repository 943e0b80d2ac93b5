package dev.tabrunner.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabrunner.adapter.aws.AwsClients;
import dev.tabrunner.admin.ApiKeyService;
import dev.tabrunner.http.RequestDeadline;
import dev.tabrunner.port.ConflictException;
import io.micronaut.context.ApplicationContext;
import io.micronaut.function.aws.proxy.payload2.APIGatewayV2HTTPEventFunction;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Lambda entry point of the HTTP API: API Gateway HTTP API events (payload 2.0) go through Micronaut's router
 * to the same controllers the local server runs. One artifact serves three functions, named by
 * {@code TABRUNNER_FUNCTION} ({@code sessions}, {@code tasks}, {@code credentials}); API Gateway sends each only
 * its own routes, and each function's role allows only what those routes need.
 *
 * <p>The handler reads the raw event itself (Lambda prefers the stream signature) for one reason: an operator
 * invokes it directly with {@code {"bootstrapAdminKey": true}} after deploying to obtain the first admin key,
 * which is no API Gateway event, and with {@code {"rotateAdminKey": true}} to replace a lost one. Everything else
 * is mapped to {@link APIGatewayV2HTTPEvent} and handled by the Micronaut function as usual.
 *
 * <p>With SnapStart, {@link #beforeCheckpoint} primes the snapshot: a routed request that reaches DynamoDB, so
 * that class loading, Jackson, the router and the SDK client are done before the first real request.
 */
public final class ApiHandler extends APIGatewayV2HTTPEventFunction implements RequestStreamHandler, Resource {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Set<String> FUNCTIONS = Set.of("sessions", "tasks", "credentials");
    /** The event and response shapes of API Gateway: lenient on fields it may add, no nulls written back. */
    static final ObjectMapper EVENTS = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final String function;

    /** What Lambda calls: the context is built from the function's environment variables. */
    public ApiHandler() {
        super();
        this.function = functionName(System.getenv("TABRUNNER_FUNCTION"));
        Core.getGlobalContext().register(this);
        LOG.info("tabrunner API function '{}' ready", function);
    }

    /** For tests and benchmarks: a Lambda context ({@code LambdaApplicationContextBuilder}) built by the caller. */
    public ApiHandler(ApplicationContext context, String function) {
        super(context);
        this.function = functionName(function);
        Core.getGlobalContext().register(this);
    }

    private static String functionName(String value) {
        if (value == null || value.isBlank()) {
            return "sessions";
        }
        if (!FUNCTIONS.contains(value.trim())) {
            throw new IllegalStateException("TABRUNNER_FUNCTION must be one of " + FUNCTIONS + ", not " + value);
        }
        return value.trim();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = EVENTS.readTree(input);
        Object response;
        if (isBootstrap(event)) {
            response = bootstrap();
        } else if (isRotation(event)) {
            response = rotate();
        } else {
            APIGatewayV2HTTPEvent http = EVENTS.treeToValue(event, APIGatewayV2HTTPEvent.class);
            response = handleRequest(withDeadline(http, context), context);
        }
        EVENTS.writeValue(output, response);
    }

    /**
     * Passes the invocation's deadline to the application ({@link RequestDeadline}), which waits for tasks no
     * longer than it; a header of that name from the caller is dropped.
     */
    static APIGatewayV2HTTPEvent withDeadline(APIGatewayV2HTTPEvent event, Context context) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> {
                if (!name.equalsIgnoreCase(RequestDeadline.HEADER)) {
                    headers.put(name, value);
                }
            });
        }
        if (context != null) {
            headers.put(RequestDeadline.HEADER.toLowerCase(Locale.ROOT),
                    Long.toString(System.currentTimeMillis() + context.getRemainingTimeInMillis()));
        }
        event.setHeaders(headers);
        return event;
    }

    private static boolean isBootstrap(JsonNode event) {
        return event != null && event.path("bootstrapAdminKey").asBoolean(false) && !event.has("requestContext");
    }

    /** {@code {"rotateAdminKey": true}}: the recovery path when the operator's admin key is lost. */
    private static boolean isRotation(JsonNode event) {
        return event != null && event.path("rotateAdminKey").asBoolean(false) && !event.has("requestContext");
    }

    /**
     * Issues a new operator admin key in the operator key's slot, which revokes the one there (a lost bootstrap
     * key). Only a principal allowed to invoke the function directly can ask: API Gateway never sends such an event.
     */
    Map<String, Object> rotate() {
        ApiKeyService.IssuedKey issued = getApplicationContext().getBean(ApiKeyService.class).rotateOperatorKey();
        LOG.info("rotated the operator admin key {}: the previous one no longer works", issued.key().id());
        return keyAnswer(issued);
    }

    private static Map<String, Object> keyAnswer(ApiKeyService.IssuedKey issued) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", issued.key().id());
        out.put("key", issued.secret());
        out.put("tenantId", issued.key().tenantId());
        out.put("role", issued.key().role().wireName());
        out.put("createdAt", issued.key().createdAt().toString());
        return out;
    }

    /**
     * Issues the first operator admin key, once; the answer is the key (shown only here) or an error saying
     * that one exists.
     */
    Map<String, Object> bootstrap() {
        try {
            ApiKeyService.IssuedKey issued = getApplicationContext().getBean(ApiKeyService.class)
                    .bootstrapOperatorKey();
            LOG.info("issued the operator admin key {}", issued.key().id());
            return keyAnswer(issued);
        } catch (ConflictException e) {
            return Map.of("error", Map.of("code", "operator_key_exists", "message", "an operator admin key exists;"
                    + " revoke it (DELETE /admin/api-keys/" + ApiKeyService.ENV_ADMIN_KEY_ID + ") or invoke with"
                    + " {\"rotateAdminKey\": true} to replace it"));
        }
    }

    /** Warms what the first request would otherwise pay for, before SnapStart takes the snapshot. */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // nothing to renew: SDK connections made while priming are re-opened on first use after the restore
    }

    /**
     * Sends this function's typical request with a key that cannot exist: the auth filter looks it up in
     * DynamoDB and the answer is a 401, so priming changes nothing. Never fails: a snapshot without priming is
     * only slower.
     */
    int prime() {
        String path = switch (function) {
            case "tasks" -> "/browser/sessions/priming/tasks";
            case "credentials" -> "/browser/credentials";
            default -> "/browser/sessions";
        };
        try {
            String json = EVENTS.writeValueAsString(Map.of("version", "2.0", "routeKey", "GET " + path,
                    "rawPath", path, "rawQueryString", "", "isBase64Encoded", false,
                    "headers", Map.of("authorization", "Bearer trk_0000000000000000_" + "A".repeat(43),
                            "accept", "application/json"),
                    "requestContext", Map.of("http", Map.of("method", "GET", "path", path,
                            "protocol", "HTTP/1.1", "sourceIp", "127.0.0.1", "userAgent", "priming"),
                            "requestId", "priming", "stage", "$default", "timeEpoch", 0)));
            APIGatewayV2HTTPResponse r = handleRequest(EVENTS.readValue(json, APIGatewayV2HTTPEvent.class), null);
            EVENTS.writeValueAsString(r);
            // the clients a cold start leaves for their first use belong in the snapshot
            getApplicationContext().findBean(AwsClients.class).ifPresent(AwsClients::buildAll);
            LOG.info("primed the {} function: GET {} answered {}", function, path, r.getStatusCode());
            return r.getStatusCode();
        } catch (IOException | RuntimeException e) {
            LOG.warn("priming the {} function failed: {}", function, e.toString());
            return -1;
        }
    }
}
