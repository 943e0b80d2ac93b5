package dev.tabrunner.http;

import dev.tabrunner.action.InvalidRequestException;
import dev.tabrunner.port.ConflictException;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.StoreUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/** Domain exceptions to HTTP responses, in one place, each in the error format of the path's dialect. */
final class ApiExceptionHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandlers.class);

    private ApiExceptionHandlers() {
    }

    static MutableHttpResponse<Object> respond(ErrorFormat.ErrorAnswer answer) {
        return HttpResponse.status(HttpStatus.valueOf(answer.status())).body(answer.body());
    }

    /** A handler that answers in the format of the dialect the request's path belongs to. */
    abstract static class InDialectFormat<E extends Throwable> implements ExceptionHandler<E, HttpResponse<?>> {
        private final Dialects dialects;

        InDialectFormat(Dialects dialects) {
            this.dialects = dialects;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, E e) {
            return respond(answer(dialects.errorFormat(request.getPath()), e));
        }

        abstract ErrorFormat.ErrorAnswer answer(ErrorFormat format, E e);
    }

    @Produces
    @Singleton
    static final class Api extends InDialectFormat<ApiException> {
        Api(Dialects dialects) {
            super(dialects);
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, ApiException e) {
            HttpResponse<?> r = super.handle(request, e);
            Object retryAfter = e.details().get("retryAfterSeconds");
            return retryAfter == null ? r : r.toMutableResponse().header("Retry-After", retryAfter.toString());
        }

        @Override
        ErrorFormat.ErrorAnswer answer(ErrorFormat format, ApiException e) {
            return format.answer(e.status(), e.code(), e.getMessage(), e.details());
        }
    }

    @Produces
    @Singleton
    static final class Invalid extends InDialectFormat<InvalidRequestException> {
        Invalid(Dialects dialects) {
            super(dialects);
        }

        @Override
        ErrorFormat.ErrorAnswer answer(ErrorFormat format, InvalidRequestException e) {
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
            return format.answer(400, "invalid_request", e.getMessage(), details);
        }
    }

    /** A body or query with problems: every one of them, in the dialect's form. */
    @Produces
    @Singleton
    static final class Problems extends InDialectFormat<RequestProblems> {
        Problems(Dialects dialects) {
            super(dialects);
        }

        @Override
        ErrorFormat.ErrorAnswer answer(ErrorFormat format, RequestProblems e) {
            return format.problems(e.problems());
        }
    }

    @Produces
    @Singleton
    static final class NotFound extends InDialectFormat<NotFoundException> {
        NotFound(Dialects dialects) {
            super(dialects);
        }

        @Override
        ErrorFormat.ErrorAnswer answer(ErrorFormat format, NotFoundException e) {
            return format.answer(404, e.code(), e.getMessage(), Map.of());
        }
    }

    @Produces
    @Singleton
    static final class Conflict extends InDialectFormat<ConflictException> {
        Conflict(Dialects dialects) {
            super(dialects);
        }

        @Override
        ErrorFormat.ErrorAnswer answer(ErrorFormat format, ConflictException e) {
            return format.answer(409, e.code(), e.getMessage(), Map.of());
        }
    }

    @Produces
    @Singleton
    static final class Unavailable extends InDialectFormat<StoreUnavailableException> {
        Unavailable(Dialects dialects) {
            super(dialects);
        }

        @Override
        ErrorFormat.ErrorAnswer answer(ErrorFormat format, StoreUnavailableException e) {
            LOG.error("store unavailable: {}", e.getMessage(), e);
            return format.answer(503, "store_unavailable", "the state store is unavailable; retry later", Map.of());
        }
    }
}
