package dev.tabrunner.browseruse;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.Idempotency;
import dev.tabrunner.http.PublicBase;
import dev.tabrunner.http.QueryIntegers;
import dev.tabrunner.http.RequestProblems;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.TaskStore;
import dev.tabrunner.tasks.FileService;
import dev.tabrunner.tasks.UploadGrants;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.util.List;

/**
 * The browser-use v1 Tasks API (seeds 002 and 004) under {@code /api/v1}: a client of that service works here
 * after changing its base URL and key. Errors keep that API's shapes ({@link dev.tabrunner.http.FastApiErrorFormat}).
 */
@Tag(name = ApiDefinition.V1)
@Controller("/api/v1")
final class BrowserUseV1Controller {
    /** Where the links of {@code uploads/presigned-url} point: no API key, the token in the path is the grant. */
    static final String UPLOAD_LINKS = "/api/v1/uploads/link/";
    private static final int MAX_LIMIT = 100;

    private final BrowserUseV1Service service;
    private final FileService files;
    private final Idempotency idempotency;
    private final UploadGrants grants;

    BrowserUseV1Controller(BrowserUseV1Service service, FileService files, Idempotency idempotency,
                           UploadGrants grants) {
        this.service = service;
        this.files = files;
        this.idempotency = idempotency;
        this.grants = grants;
    }

    @RequestBody(content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "#/components/schemas/V1RunTaskRequest"),
            examples = {@ExampleObject(name = "V1RunTask", ref = "#/components/examples/V1RunTask")}))
    @Post("/run-task")
    HttpResponse<?> run(@Parameter(hidden = true) Caller caller, @Nullable @Body String body,
                        @Nullable @Header(Idempotency.HEADER) String idempotencyKey) {
        return idempotency.once(caller, idempotencyKey, "POST /api/v1/run-task", body,
                () -> HttpResponse.ok(new BrowserUseV1Views.Created(service.run(caller,
                        BrowserUseV1Request.parse(body)).id())));
    }

    @Put("/stop-task")
    HttpResponse<?> stop(@Parameter(hidden = true) Caller caller, @Nullable @QueryValue("task_id") String taskId) {
        service.stop(caller, taskId(taskId));
        return HttpResponse.ok();
    }

    @Put("/pause-task")
    HttpResponse<?> pause(@Parameter(hidden = true) Caller caller, @Nullable @QueryValue("task_id") String taskId) {
        service.pause(caller, taskId(taskId));
        return HttpResponse.ok();
    }

    @Put("/resume-task")
    HttpResponse<?> resume(@Parameter(hidden = true) Caller caller, @Nullable @QueryValue("task_id") String taskId) {
        service.resume(caller, taskId(taskId));
        return HttpResponse.ok();
    }

    @Get("/task/{task_id}")
    BrowserUseV1Views.Task task(@Parameter(hidden = true) Caller caller, @PathVariable("task_id") String taskId,
                                HttpRequest<?> request) {
        TaskRecord t = service.get(caller, taskId);
        return BrowserUseV1Views.task(t, PublicBase.of(request), service.browserData(t));
    }

    /** The status alone, as a bare JSON string ({@code "running"}). */
    @Get(value = "/task/{task_id}/status", produces = MediaType.APPLICATION_JSON)
    HttpResponse<String> status(@Parameter(hidden = true) Caller caller, @PathVariable("task_id") String taskId) {
        return HttpResponse.ok("\"" + BrowserUseV1Views.status(service.get(caller, taskId)) + "\"")
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Get("/tasks")
    BrowserUseV1Views.TaskList list(@Parameter(hidden = true) Caller caller, @Nullable @QueryValue String page,
                                    @Nullable @QueryValue String limit, HttpRequest<?> request) {
        int p = QueryIntegers.read("page", page, 1, 1, Integer.MAX_VALUE);
        int l = QueryIntegers.read("limit", limit, 10, 1, MAX_LIMIT);
        TaskStore.Slice<TaskRecord> slice = service.list(caller, p, l);
        String base = PublicBase.of(request);
        return new BrowserUseV1Views.TaskList(slice.items().stream().map(t -> BrowserUseV1Views.summary(t, base))
                .toList(), (slice.total() + l - 1) / l, p, l, slice.total());
    }

    /** Uploads a file for tasks' {@code included_file_names}: multipart ({@code file} part). */
    @Post(value = "/uploads", consumes = MediaType.MULTIPART_FORM_DATA)
    HttpResponse<?> uploadMultipart(@Parameter(hidden = true) Caller caller,
                                    CompletedFileUpload file) throws IOException {
        files.checkSize(file.getSize());
        String type = file.getContentType().map(MediaType::toString).orElse(null);
        return HttpResponse.created(BrowserUseV1Views.Upload.of(service.upload(caller, file.getFilename(), type,
                file.getBytes())));
    }

    /** Uploads a file for tasks' {@code included_file_names}: the raw bytes with {@code ?file_name=}. */
    @Post(value = "/uploads", consumes = {MediaType.APPLICATION_OCTET_STREAM, MediaType.ALL, MediaType.TEXT_PLAIN,
            MediaType.APPLICATION_PDF, MediaType.IMAGE_PNG, MediaType.IMAGE_JPEG, MediaType.APPLICATION_JSON})
    HttpResponse<?> uploadRaw(@Parameter(hidden = true) Caller caller,
                              @Nullable @QueryValue("file_name") String fileName,
                              HttpRequest<?> request, @Nullable @Body byte[] body) {
        if (fileName == null || fileName.isBlank()) {
            throw RequestProblems.of(List.of("query", "file_name"), "Field required", "missing");
        }
        String type = request.getContentType().map(MediaType::toString).orElse("application/octet-stream");
        return HttpResponse.created(BrowserUseV1Views.Upload.of(service.upload(caller, fileName, type,
                body == null ? new byte[0] : body)));
    }

    /**
     * A link that takes one upload of the named file, without the API key, for {@link UploadGrants#TTL}: where
     * browser-use hands out an S3 presigned URL, this server hands out its own. PUT the bytes to it (POST works too).
     */
    @Post("/uploads/presigned-url")
    BrowserUseV1Views.UploadLink presign(@Parameter(hidden = true) Caller caller, @Nullable @Body String body,
                                         HttpRequest<?> request) {
        UploadLinkRequest r = UploadLinkRequest.parse(body);
        String name = files.checkedName(r.fileName());
        String token = grants.grant(caller.tenantId(), name, r.contentType());
        return new BrowserUseV1Views.UploadLink(PublicBase.of(request) + UPLOAD_LINKS + token, name,
                UploadGrants.TTL.toSeconds());
    }

    /** An upload through a link of {@link #presign}: 200 with the stored file; a used or expired link is 404. */
    @Put(value = "/uploads/link/{token}", consumes = {MediaType.APPLICATION_OCTET_STREAM, MediaType.ALL,
            MediaType.TEXT_PLAIN, MediaType.APPLICATION_PDF, MediaType.IMAGE_PNG, MediaType.IMAGE_JPEG,
            MediaType.APPLICATION_JSON})
    BrowserUseV1Views.Upload putThroughLink(String token, @Nullable @Body byte[] body) {
        return throughLink(token, body);
    }

    @Post(value = "/uploads/link/{token}", consumes = {MediaType.APPLICATION_OCTET_STREAM, MediaType.ALL,
            MediaType.TEXT_PLAIN, MediaType.APPLICATION_PDF, MediaType.IMAGE_PNG, MediaType.IMAGE_JPEG,
            MediaType.APPLICATION_JSON})
    BrowserUseV1Views.Upload postThroughLink(String token, @Nullable @Body byte[] body) {
        return throughLink(token, body);
    }

    private BrowserUseV1Views.Upload throughLink(String token, byte[] body) {
        byte[] bytes = body == null ? new byte[0] : body;
        // checked before the link is used up, so that a file too large can be sent again, smaller
        files.checkSize(bytes.length);
        // a link for a session's file (browser-use v2's) is not one of v1's uploads
        UploadGrants.Grant grant = grants.redeem(token).filter(g -> g.owner() == null).orElseThrow(
                () -> new NotFoundException("upload_link_not_found", "This upload link does not exist, has expired or"
                        + " was used already"));
        return BrowserUseV1Views.Upload.of(service.upload(grant.tenantId(), grant.fileName(), grant.contentType(),
                bytes));
    }

    /**
     * {@code task_id}, a query parameter as in the seed (FastAPI's reading of a PUT's plain parameter). No body is
     * bound: clients send none, often without a Content-Length, which body binding refuses on Lambda.
     */
    private static String taskId(String query) {
        if (query != null && !query.isBlank()) {
            return query;
        }
        throw RequestProblems.of(List.of("query", "task_id"), "Field required", "missing");
    }
}
