package dev.tabrunner.nativeapi;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.http.ApiDefinition;
import dev.tabrunner.http.Idempotency;
import dev.tabrunner.tasks.FileService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.io.IOException;

/** {@code /browser/sessions/{id}/files}: multipart ({@code file} part) or a raw body with {@code ?filename=}. */
@Tag(name = ApiDefinition.NATIVE)
@Controller("/browser/sessions/{sessionId}/files")
final class FileController {
    private final FileService files;
    private final Idempotency idempotency;

    FileController(FileService files, Idempotency idempotency) {
        this.files = files;
        this.idempotency = idempotency;
    }

    @ApiResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = FileView.class)))
    @Post(consumes = MediaType.MULTIPART_FORM_DATA)
    HttpResponse<?> uploadMultipart(@Parameter(hidden = true) Caller caller, String sessionId, CompletedFileUpload file,
                                    @Nullable @Header(Idempotency.HEADER) String idempotencyKey)
            throws IOException {
        files.checkSize(file.getSize());
        String type = file.getContentType().map(MediaType::toString).orElse(null);
        byte[] bytes = file.getBytes();
        return idempotency.once(caller, idempotencyKey, "POST /browser/sessions/" + sessionId + "/files "
                        + file.getFilename() + " " + type, bytes,
                () -> HttpResponse.created(FileView.of(files.upload(caller, sessionId, file.getFilename(),
                        type, bytes))));
    }

    @ApiResponse(responseCode = "201", description = "created",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = FileView.class)))
    @Post(consumes = {MediaType.APPLICATION_OCTET_STREAM, MediaType.ALL, MediaType.TEXT_PLAIN,
            MediaType.APPLICATION_PDF, MediaType.IMAGE_PNG, MediaType.IMAGE_JPEG})
    HttpResponse<?> uploadRaw(@Parameter(hidden = true) Caller caller, String sessionId,
                              @Nullable @QueryValue String filename,
                              HttpRequest<?> request, @Body byte[] body,
                              @Nullable @Header(Idempotency.HEADER) String idempotencyKey) {
        String type = request.getContentType().map(MediaType::toString).orElse("application/octet-stream");
        byte[] bytes = body == null ? new byte[0] : body;
        return idempotency.once(caller, idempotencyKey, "POST /browser/sessions/" + sessionId + "/files "
                        + filename + " " + type, bytes,
                () -> HttpResponse.created(FileView.of(files.upload(caller, sessionId, filename, type,
                        bytes))));
    }

    @Get
    FileView.Listing list(@Parameter(hidden = true) Caller caller, String sessionId) {
        return new FileView.Listing(files.list(caller, sessionId).stream().map(FileView::of).toList());
    }
}
