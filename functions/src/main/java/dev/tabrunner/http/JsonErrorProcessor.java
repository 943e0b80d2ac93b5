package dev.tabrunner.http;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Errors the framework raises itself (unknown route, wrong method, body too large, unsupported media type) in
 * the same format as ours, the path's dialect's, so a client needs one error parser.
 */
@Primary
@Singleton
final class JsonErrorProcessor implements ErrorResponseProcessor<Object> {
    private final Dialects dialects;

    JsonErrorProcessor(Dialects dialects) {
        this.dialects = dialects;
    }

    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<Object> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        MutableHttpResponse<Object> r = (MutableHttpResponse<Object>) response;
        if (context.getRequest().getMethod() == HttpMethod.HEAD) {
            return r;
        }
        int status = response.code();
        String message = context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        if (message.isBlank()) {
            message = response.reason();
        }
        String code = switch (status) {
            case 400 -> "invalid_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "body_too_large";
            case 415 -> "unsupported_media_type";
            default -> response.reason().toLowerCase(Locale.ROOT).replace(' ', '_');
        };
        ErrorFormat.ErrorAnswer answer = dialects.errorFormat(context.getRequest().getPath())
                .answer(status, code, message, Map.of());
        return r.status(answer.status()).contentType(MediaType.APPLICATION_JSON_TYPE).body(answer.body());
    }
}
