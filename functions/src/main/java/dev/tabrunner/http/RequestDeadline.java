package dev.tabrunner.http;

import io.micronaut.http.HttpRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the process serving a request must have answered it. On Lambda that is the invocation's own deadline,
 * which the handler passes on in a header of its own ({@value #HEADER}, epoch milliseconds; a caller's header of
 * that name is dropped there); elsewhere there is none, and an endpoint waits as long as it allows. An endpoint
 * that waits for a task derives its bound from it, so that it answers (with where to poll) before the function is
 * cut off, and before API Gateway cuts the request.
 */
public final class RequestDeadline {
    public static final String HEADER = "X-Tabrunner-Deadline";
    /** Left for writing the answer: API Gateway's clock started a little before the function's. */
    static final Duration MARGIN = Duration.ofSeconds(3);

    private RequestDeadline() {
    }

    /** The deadline the request carries, if any. */
    public static Optional<Instant> of(HttpRequest<?> request) {
        String value = request.getHeaders().get(HEADER);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * When a request that arrived now must stop waiting: {@code max} from now, or sooner when its deadline (less the
     * margin) comes first. Taken when the request arrives, so that the work before the wait (a task's submission)
     * counts against it.
     */
    public static Instant answerBy(HttpRequest<?> request, Duration max, Clock clock) {
        return clock.instant().plus(bound(request, max, clock));
    }

    /** How long the request may wait: {@code max}, or less when its deadline (less the margin) comes sooner. */
    public static Duration bound(HttpRequest<?> request, Duration max, Clock clock) {
        return of(request).map(d -> Duration.between(clock.instant(), d.minus(MARGIN)))
                .map(left -> left.isNegative() ? Duration.ZERO : left.compareTo(max) < 0 ? left : max)
                .orElse(max);
    }
}
