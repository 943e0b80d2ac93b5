package dev.tabrunner.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.action.Action;
import dev.tabrunner.action.TaskRequest;
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
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Files uploaded to a session for later {@code uploadFile} actions, by id or name. */
@Singleton
public final class FileService {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ ()-]{0,254}");

    private final SessionService sessions;
    private final EnvironmentService environments;
    private final FileStore files;
    private final BlobStore blobs;
    private final ApiSettings settings;
    private final Clock clock;

    public FileService(SessionService sessions, EnvironmentService environments, FileStore files, BlobStore blobs,
                       ApiSettings settings, Clock clock) {
        this.sessions = sessions;
        this.environments = environments;
        this.files = files;
        this.blobs = blobs;
        this.settings = settings;
        this.clock = clock;
    }

    /** Stores a file in the session, and in its environment when it has one (see {@link EnvironmentService}). */
    public UploadedFile upload(Caller caller, String sessionId, String filename, String contentType, byte[] bytes) {
        Session session = sessions.requireActive(caller, sessionId);
        UploadedFile file = store(session.tenantId(), session.id(), filename, contentType, bytes);
        environments.addFile(session, file);
        sessions.touch(session);
        return file;
    }

    /**
     * The session's file of this id (seed 001's "File IDs") or, as before ids, of this name.
     *
     * @return empty when the session has neither
     */
    public Optional<UploadedFile> find(String tenantId, String sessionId, String idOrName) {
        Optional<UploadedFile> byName = files.find(tenantId, sessionId, idOrName);
        if (byName.isPresent()) {
            return byName;
        }
        return files.list(tenantId, sessionId).stream().filter(f -> idOrName.equals(f.id())).findFirst();
    }

    /**
     * A scripted task's body with the {@code uploadFile} actions that name a file by its id naming it by its name,
     * which is what the worker looks up; the body itself when none does.
     */
    public JsonNode withFileNames(Session session, JsonNode body, TaskRequest request) {
        ObjectNode copy = null;
        for (int i = 0; i < request.actions().size(); i++) {
            if (request.actions().get(i) instanceof Action.UploadFile upload
                    && files.find(session.tenantId(), session.id(), upload.filename()).isEmpty()) {
                Optional<UploadedFile> byId = find(session.tenantId(), session.id(), upload.filename());
                if (byId.isPresent()) {
                    copy = copy == null ? body.deepCopy() : copy;
                    ((ObjectNode) copy.get("actions").get(i)).put("filename", byId.get().name());
                }
            }
        }
        return copy == null ? body : copy;
    }

    /**
     * Checks the name and size and stores the file under {@code owner} (a session, or another namespace of the
     * tenant's), replacing a file of the same name.
     */
    public UploadedFile store(String tenantId, String owner, String filename, String contentType, byte[] bytes) {
        String name = checkedName(filename);
        checkSize(bytes.length);
        String key = "sessions/" + tenantId + "/" + owner + "/files/" + UUID.randomUUID();
        blobs.put(key, bytes, contentType);
        UploadedFile file = new UploadedFile(UUID.randomUUID().toString(), owner, tenantId, name, bytes.length,
                contentType == null ? "application/octet-stream" : contentType, key, clock.instant());
        files.put(file);
        return file;
    }

    /**
     * The name a file is stored under: the last part of a path, checked.
     *
     * @throws ApiException 400 naming {@code filename} when it is missing or not a safe name
     */
    public String checkedName(String filename) {
        if (filename == null || filename.isBlank()) {
            throw ApiException.badRequest("filename", "is required (multipart file name, or ?filename= for a raw"
                    + " body)");
        }
        String name = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            throw ApiException.badRequest("filename", "must be 1-255 letters, digits, spaces, dots, dashes,"
                    + " underscores or parentheses");
        }
        return name;
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
