package dev.tabrunner.api;

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
 * the same format as ours, so a client needs one error parser.
 */
@Primary
@Singleton
final class JsonErrorProcessor implements ErrorResponseProcessor<Map<String, Object>> {
    @Override
    @SuppressWarnings("unchecked")
    public MutableHttpResponse<Map<String, Object>> processResponse(ErrorContext context,
                                                                     MutableHttpResponse<?> response) {
        MutableHttpResponse<Map<String, Object>> r = (MutableHttpResponse<Map<String, Object>>) response;
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
        String path = context.getRequest().getPath();
        return r.status(ErrorBodies.statusFor(path, status, code)).contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ErrorBodies.forPath(path, status, code, message, Map.of()));
    }
}
