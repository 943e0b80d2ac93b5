package dev.tabrunner.browserusev2;

import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Role;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.PublicBase;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.tasks.FileService;
import dev.tabrunner.tasks.TaskService;
import dev.tabrunner.tasks.UploadGrants;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * browser-use v2's files: an upload link for a session's file, and a task's output files. Where browser-use hands
 * out an S3 presigned POST, this server hands out a link of its own that takes the same form post (the {@code file}
 * part; S3's other fields are not needed) or the raw bytes, once, without the API key.
 */
@Tag(name = ApiDefinition.V2)
@Controller("/api/v2")
final class V2FileController {
    /** browser-use's {@code UploadFileRequest.contentType} choices. */
    static final List<String> CONTENT_TYPES = List.of("image/jpg", "image/jpeg", "image/png", "image/gif",
            "image/webp", "image/svg+xml", "application/pdf", "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.ms-excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/plain", "text/csv",
            "text/markdown");
    private static final Set<String> FIELDS = Set.of("fileName", "contentType", "sizeBytes");

    private final V2SessionService sessions;
    private final V2TaskService taskService;
    private final FileService files;
    private final TaskService tasks;
    private final UploadGrants grants;

    V2FileController(V2SessionService sessions, V2TaskService taskService, FileService files, TaskService tasks,
                     UploadGrants grants) {
        this.sessions = sessions;
        this.taskService = taskService;
        this.files = files;
        this.tasks = tasks;
        this.grants = grants;
    }

    /** A link that takes one upload of the named file into the session, for {@link UploadGrants#TTL}. */
    @Post("/files/sessions/{sessionId}/presigned-url")
    V2Views.UploadUrl presign(@Parameter(hidden = true) Caller caller, @PathVariable String sessionId,
                              @Nullable @Body String body,
                              HttpRequest<?> request) {
        V2Body b = V2Body.parse(body, false, FIELDS);
        String fileName = b.string("fileName", true, 255);
        String contentType = b.choice("contentType", CONTENT_TYPES, null);
        if (!b.hasValue("contentType")) {
            b.problem("contentType", "Field required", "missing");
        }
        Integer size = b.integer("sizeBytes", null, 0, Integer.MAX_VALUE);
        if (!b.hasValue("sizeBytes")) {
            b.problem("sizeBytes", "Field required", "missing");
        }
        b.check();
        files.checkSize(size);
        String name = files.checkedName(fileName);
        V2SessionService.V2Session v = sessions.get(caller, sessionId, V2SessionRecord.AGENT);
        String token = grants.grant(caller.tenantId(), v.session().id(), name, contentType);
        return new V2Views.UploadUrl(PublicBase.of(request) + BrowserUseV2Dialect.UPLOAD_LINKS + token, "POST",
                Map.of(), name, UploadGrants.TTL.toSeconds());
    }

    /** An upload through a link of {@link #presign}, as a form post: 204, as S3 answers one. */
    @Post(value = "/uploads/{token}", consumes = MediaType.MULTIPART_FORM_DATA)
    HttpResponse<?> postForm(@PathVariable String token, CompletedFileUpload file) throws IOException {
        files.checkSize(file.getSize());
        return store(token, file.getBytes());
    }

    /** An upload through a link of {@link #presign}, the raw bytes. */
    @Put(value = "/uploads/{token}", consumes = {MediaType.APPLICATION_OCTET_STREAM, MediaType.ALL,
            MediaType.TEXT_PLAIN, MediaType.APPLICATION_PDF, MediaType.IMAGE_PNG, MediaType.IMAGE_JPEG,
            MediaType.APPLICATION_JSON})
    HttpResponse<?> put(@PathVariable String token, @Nullable @Body byte[] body) {
        byte[] bytes = body == null ? new byte[0] : body;
        files.checkSize(bytes.length);
        return store(token, bytes);
    }

    private HttpResponse<?> store(String token, byte[] bytes) {
        // a link of v1's uploads is not a session's
        UploadGrants.Grant grant = grants.redeem(token).filter(g -> g.owner() != null).orElseThrow(
                () -> new NotFoundException("upload_link_not_found", "This upload link does not exist, has expired"
                        + " or was used already"));
        // the link acts for the tenant that asked for it, in the session it names
        Caller owner = new Caller("upload-link", grant.tenantId(), Role.USER);
        files.upload(owner, grant.owner(), grant.fileName(), grant.contentType(), bytes);
        return HttpResponse.noContent();
    }

    /** Where a task's output file is read: the blob store's link where it has one, else this server's. */
    @Get("/files/tasks/{taskId}/output-files/{fileId}")
    V2Views.OutputFile outputFile(@Parameter(hidden = true) Caller caller, @PathVariable String taskId,
                                  @PathVariable String fileId,
                                  HttpRequest<?> request) {
        TaskRecord t = taskService.get(caller, taskId);
        V2Views.FileRef ref = V2Views.outputFiles(t).stream().filter(f -> f.id().equals(fileId)).findFirst()
                .orElseThrow(() -> new NotFoundException("output_file_not_found", "Output file not found"));
        Artifact a = tasks.artifact(t, fileId).orElseThrow(() -> new NotFoundException("output_file_not_found",
                "Output file not found"));
        String url = tasks.artifactLink(a).map(Object::toString).orElse(PublicBase.of(request) + "/api/v2/tasks/"
                + t.id() + "/artifacts/" + a.id());
        return new V2Views.OutputFile(ref.id(), ref.fileName(), url);
    }
}
