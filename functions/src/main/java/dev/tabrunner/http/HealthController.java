package dev.tabrunner.http;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Liveness, without a key. */
@Tag(name = ApiDefinition.PAGES)
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
