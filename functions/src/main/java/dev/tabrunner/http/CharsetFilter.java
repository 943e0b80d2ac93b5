package dev.tabrunner.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;

/**
 * A body whose {@code Content-Type} names a charset this JVM does not have ({@code charset=x-bogus}) is refused
 * with 415 in the error format of the path's dialect, before anything reads it: the framework's body reader threw
 * {@code UnsupportedCharsetException} on such a body, which answered 500.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class CharsetFilter {
    private final Dialects dialects;

    CharsetFilter(Dialects dialects) {
        this.dialects = dialects;
    }

    @RequestFilter
    @Nullable
    HttpResponse<?> check(HttpRequest<?> request) {
        String type = request.getHeaders().get(HttpHeaders.CONTENT_TYPE);
        String charset = charsetOf(type);
        if (charset == null || supported(charset)) {
            return null;
        }
        return ApiExceptionHandlers.respond(dialects.errorFormat(request.getPath()).answer(415,
                "unsupported_media_type", "the charset of the Content-Type is not supported; send UTF-8", Map.of()));
    }

    /** The {@code charset} parameter as sent (quotes removed), or null when there is none. */
    static String charsetOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] parts = contentType.split(";");
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("charset")) {
                String value = p.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value;
            }
        }
        return null;
    }

    private static boolean supported(String charset) {
        try {
            return Charset.isSupported(charset);
        } catch (IllegalArgumentException e) {
            // IllegalCharsetNameException included: "", a NUL, a space
            return false;
        }
    }
}
