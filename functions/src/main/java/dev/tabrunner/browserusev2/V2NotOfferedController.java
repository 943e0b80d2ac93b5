package dev.tabrunner.browserusev2;

import dev.tabrunner.port.NotFoundException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.swagger.v3.oas.annotations.Hidden;

/**
 * What browser-use's cloud has and this server does not: billing, skills and the skills marketplace. Each of the
 * SDK's calls of them is answered 404 with a message that says so, rather than the framework's bare 404 (the
 * path, whatever it is, changes nothing).
 */
// no operations of this API, only a clear 404 for those of browser-use's cloud: left out of the reference
@Hidden
@Controller("/api/v2")
final class V2NotOfferedController {
    @Get("/billing/{+path}")
    void billing(@Nullable @PathVariable String path) {
        throw notOffered("billing", "a self-hosted server has no credits or plans");
    }

    @Get("/skills{/path:.*}")
    void getSkills(@Nullable @PathVariable String path) {
        throw skills();
    }

    @Post("/skills{/path:.*}")
    void postSkills(@Nullable @PathVariable String path) {
        throw skills();
    }

    @Patch("/skills/{+path}")
    void patchSkills(@Nullable @PathVariable String path) {
        throw skills();
    }

    @Delete("/skills/{+path}")
    void deleteSkills(@Nullable @PathVariable String path) {
        throw skills();
    }

    @Get("/marketplace/{+path}")
    void getMarketplace(@Nullable @PathVariable String path) {
        throw notOffered("the skills marketplace", "this server has no skills");
    }

    @Post("/marketplace/{+path}")
    void postMarketplace(@Nullable @PathVariable String path) {
        throw notOffered("the skills marketplace", "this server has no skills");
    }

    private static NotFoundException skills() {
        return notOffered("skills", "run the work as a task (POST /api/v2/tasks)");
    }

    private static NotFoundException notOffered(String what, String why) {
        return new NotFoundException("not_offered", "Not offered: this server (self-hosted Tabrunner) does not offer "
                + what + " of browser-use's cloud; " + why + ".");
    }
}
