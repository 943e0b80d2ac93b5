package dev.tabrunner.http;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** Liveness, without a key. */
@Controller("/health")
final class HealthController {
    /** {@code {"status": "ok"}}. */
    record Health(String status) {
    }

    @Get
    Health health() {
        return new Health("ok");
    }
}
