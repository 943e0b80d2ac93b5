package dev.tabrunner.tasks;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.UploadedFile;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.ApiSettings;
import dev.tabrunner.port.BlobStore;
import dev.tabrunner.port.FileStore;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/** Files uploaded to a session for later {@code uploadFile} actions. */
@Singleton
public final class FileService {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ ()-]{0,254}");

    private final SessionService sessions;
    private final FileStore files;
    private final BlobStore blobs;
    private final ApiSettings settings;
    private final Clock clock;

    public FileService(SessionService sessions, FileStore files, BlobStore blobs, ApiSettings settings, Clock clock) {
        this.sessions = sessions;
        this.files = files;
        this.blobs = blobs;
        this.settings = settings;
        this.clock = clock;
    }

    public UploadedFile upload(Caller caller, String sessionId, String filename, String contentType, byte[] bytes) {
        Session session = sessions.requireActive(caller, sessionId);
        UploadedFile file = store(session.tenantId(), session.id(), filename, contentType, bytes);
        sessions.touch(session);
        return file;
    }

    /**
     * Checks the name and size and stores the file under {@code owner} (a session, or another namespace of the
     * tenant's), replacing a file of the same name.
     */
    public UploadedFile store(String tenantId, String owner, String filename, String contentType, byte[] bytes) {
        if (filename == null || filename.isBlank()) {
            throw ApiException.badRequest("filename", "is required (multipart file name, or ?filename= for a raw"
                    + " body)");
        }
        String name = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            throw ApiException.badRequest("filename", "must be 1-255 letters, digits, spaces, dots, dashes,"
                    + " underscores or parentheses");
        }
        checkSize(bytes.length);
        String key = "sessions/" + tenantId + "/" + owner + "/files/" + UUID.randomUUID();
        blobs.put(key, bytes, contentType);
        UploadedFile file = new UploadedFile(owner, tenantId, name, bytes.length,
                contentType == null ? "application/octet-stream" : contentType, key, clock.instant());
        files.put(file);
        return file;
    }

    public void checkSize(long size) {
        if (size > settings.maxUploadBytes()) {
            throw new ApiException(413, "file_too_large", "files are limited to " + settings.maxUploadBytes()
                    + " bytes", Map.of("limitBytes", settings.maxUploadBytes()));
        }
    }

    public List<UploadedFile> list(Caller caller, String sessionId) {
        sessions.get(caller, sessionId);
        return files.list(caller.tenantId(), sessionId);
    }
}
