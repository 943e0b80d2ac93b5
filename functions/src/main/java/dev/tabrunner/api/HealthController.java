package dev.tabrunner.api;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.util.Map;

/** Liveness, without a key. */
@Controller("/health")
final class HealthController {
    @Get
    Map<String, Object> health() {
        return Map.of("status", "ok");
    }
}
