package dev.tabrunner.nativeapi;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.Limits;
import dev.tabrunner.http.PublicBase;
import dev.tabrunner.port.Page;
import dev.tabrunner.tasks.TaskService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.time.Clock;

/**
 * {@code GET /browser/tasks}: the tenant's tasks of every session and every dialect, newest first - what the
 * dashboard lists. Each task's own view is the native API's, at its {@code taskUrl}.
 */
@Tag(name = ApiDefinition.NATIVE)
@Controller("/browser/tasks")
final class TenantTaskController {
    private final TaskService tasks;
    private final Clock clock;

    TenantTaskController(TaskService tasks, Clock clock) {
        this.tasks = tasks;
        this.clock = clock;
    }

    @Get
    TaskSummaryView.Listing list(@Parameter(hidden = true) Caller caller, @Nullable @QueryValue Integer limit,
                                 @Nullable @QueryValue String cursor, HttpRequest<?> request) {
        Page<TaskRecord> page = tasks.listOfTenant(caller, Limits.pageSize(limit), cursor);
        String base = PublicBase.of(request);
        return new TaskSummaryView.Listing(page.items().stream()
                .map(t -> TaskSummaryView.of(t, clock.instant(), base)).toList(), page.nextCursor());
    }
}
