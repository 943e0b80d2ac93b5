package dev.tabrunner.api;

import dev.tabrunner.action.InvalidRequestException;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.StoreUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/** Domain exceptions to HTTP responses, in one place and one format. */
final class ApiExceptionHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandlers.class);

    private ApiExceptionHandlers() {
    }

    static HttpResponse<Map<String, Object>> respond(HttpRequest<?> request, int status, String code,
                                                     String message, Map<String, Object> details) {
        String path = request.getPath();
        return HttpResponse.<Map<String, Object>>status(HttpStatus.valueOf(ErrorBodies.statusFor(path, status, code)))
                .body(ErrorBodies.forPath(path, status, code, message, details));
    }

    @Produces
    @Singleton
    static final class Api implements ExceptionHandler<ApiException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ApiException e) {
            HttpResponse<Map<String, Object>> r = respond(request, e.status(), e.code(), e.getMessage(), e.details());
            if (e.details().get("retryAfterSeconds") != null) {
                return r.toMutableResponse().header("Retry-After", e.details().get("retryAfterSeconds").toString());
            }
            return r;
        }
    }

    @Produces
    @Singleton
    static final class Invalid implements ExceptionHandler<InvalidRequestException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, InvalidRequestException e) {
            Map<String, Object> details = new LinkedHashMap<>();
            if (e.field() != null) {
                details.put("field", e.field());
            }
            if (e.actionIndex() >= 0) {
                details.put("actionIndex", e.actionIndex());
            }
            if (e.actionType() != null) {
                details.put("actionType", e.actionType());
            }
            return respond(request, 400, "invalid_request", e.getMessage(), details);
        }
    }

    /** A browser-use v1 body with problems: every one of them, in that API's 422 shape. */
    @Produces
    @Singleton
    static final class InvalidV1 implements ExceptionHandler<BrowserUseV1Request.Invalid, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, BrowserUseV1Request.Invalid e) {
            return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(Map.of("detail",
                    e.problems().stream().map(BrowserUseV1Request.Problem::toMap).toList()));
        }
    }

    @Produces
    @Singleton
    static final class NotFound implements ExceptionHandler<NotFoundException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, NotFoundException e) {
            return respond(request, 404, e.code(), e.getMessage(), Map.of());
        }
    }

    @Produces
    @Singleton
    static final class Conflict implements ExceptionHandler<ConflictException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, ConflictException e) {
            return respond(request, 409, e.code(), e.getMessage(), Map.of());
        }
    }

    @Produces
    @Singleton
    static final class Unavailable implements ExceptionHandler<StoreUnavailableException, HttpResponse<?>> {
        @Override
        public HttpResponse<?> handle(HttpRequest request, StoreUnavailableException e) {
            LOG.error("store unavailable: {}", e.getMessage(), e);
            return respond(request, 503, "store_unavailable", "the state store is unavailable; retry later", Map.of());
        }
    }
}
