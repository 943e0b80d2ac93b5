package dev.tabrunner.api;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.UploadedFile;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.multipart.CompletedFileUpload;

import java.io.IOException;
import java.util.Map;

/** {@code /browser/sessions/{id}/files}: multipart ({@code file} part) or a raw body with {@code ?filename=}. */
@Controller("/browser/sessions/{sessionId}/files")
final class FileController {
    private final FileService files;

    FileController(FileService files) {
        this.files = files;
    }

    @Post(consumes = MediaType.MULTIPART_FORM_DATA)
    HttpResponse<Map<String, Object>> uploadMultipart(Caller caller, String sessionId, CompletedFileUpload file)
            throws IOException {
        files.checkSize(file.getSize());
        String type = file.getContentType().map(MediaType::toString).orElse(null);
        UploadedFile stored = files.upload(caller, sessionId, file.getFilename(), type, file.getBytes());
        return HttpResponse.created(FileService.view(stored));
    }

    @Post(consumes = {MediaType.APPLICATION_OCTET_STREAM, MediaType.ALL, MediaType.TEXT_PLAIN,
            MediaType.APPLICATION_PDF, MediaType.IMAGE_PNG, MediaType.IMAGE_JPEG})
    HttpResponse<Map<String, Object>> uploadRaw(Caller caller, String sessionId, @Nullable @QueryValue String filename,
                                               HttpRequest<?> request, @Body byte[] body) {
        String type = request.getContentType().map(MediaType::toString).orElse("application/octet-stream");
        UploadedFile stored = files.upload(caller, sessionId, filename, type, body == null ? new byte[0] : body);
        return HttpResponse.created(FileService.view(stored));
    }

    @Get
    Map<String, Object> list(Caller caller, String sessionId) {
        return Map.of("files", files.list(caller, sessionId).stream().map(FileService::view).toList());
    }
}
