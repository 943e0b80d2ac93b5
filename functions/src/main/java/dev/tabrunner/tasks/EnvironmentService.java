package dev.tabrunner.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.BrowserProfile;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Session;
import dev.tabrunner.domain.UploadedFile;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.BlobStore;
import dev.tabrunner.port.FileStore;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.port.SessionStore;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Environments (seed 001: "persist browser data and files across sessions"), kept as the tenant's browser profiles
 * ({@link BrowserProfile}): one folder of the blob store each, holding the saved browser state ({@code state.json},
 * the Playwright storage state a browser-use v1 task saves into its profile too) and, for an environment created
 * here, its name, creation time and the namespace of its files in the file store ({@code environment.json}).
 *
 * <p>A session started from an environment gets its state and files when it is created (or attached with its first
 * task); its browser state goes back into the environment after each task (the worker, when it saves the session's
 * state) and when the session is terminated; a file uploaded to the session is added to the environment at once.
 * Sessions of one environment running at the same time: the one that writes last wins.
 */
@Singleton
public final class EnvironmentService {
    public static final int MAX_NAME = 200;

    private final BlobStore blobs;
    private final FileStore files;
    private final SessionStore sessions;
    private final Clock clock;

    public EnvironmentService(BlobStore blobs, FileStore files, SessionStore sessions, Clock clock) {
        this.blobs = blobs;
        this.files = files;
        this.sessions = sessions;
        this.clock = clock;
    }

    /**
     * What {@code environment.json} holds.
     *
     * @param files the file store namespace of its files: new for every environment, so that files of a deleted
     *              one never come back with a later one of the same id (a v1 profile name)
     */
    record Metadata(String id, String name, Instant createdAt, String files) {
    }

    /** A new, empty environment of the caller's tenant. */
    public Environment create(Caller caller, String name) {
        Metadata m = newMetadata(UUID.randomUUID().toString(), name);
        write(caller.tenantId(), m);
        return view(caller.tenantId(), m);
    }

    /**
     * @throws NotFoundException {@code environment_not_found} for an id the tenant has no environment or profile of
     */
    public Environment get(Caller caller, String id) {
        return view(caller.tenantId(), require(caller.tenantId(), id));
    }

    /** The tenant's environments, browser-use v1's profiles among them, by id. */
    public List<Environment> list(Caller caller) {
        String prefix = BrowserProfile.prefix(caller.tenantId());
        Set<String> ids = new LinkedHashSet<>();
        for (String key : blobs.list(prefix)) {
            int slash = key.indexOf('/', prefix.length());
            if (slash > prefix.length()) {
                ids.add(key.substring(prefix.length(), slash));
            }
        }
        List<Environment> out = new ArrayList<>();
        for (String id : ids) {
            find(caller.tenantId(), id).ifPresent(m -> out.add(view(caller.tenantId(), m)));
        }
        return out;
    }

    /**
     * Gives the environment a new name (browser-use v2's profile update); a profile a v1 task saved without metadata
     * gets it now.
     *
     * @throws NotFoundException {@code environment_not_found} for an id the tenant has no environment or profile of
     */
    public Environment rename(Caller caller, String id, String name) {
        Metadata m = require(caller.tenantId(), id);
        Metadata fresh = newMetadata(id, name);
        Metadata renamed = new Metadata(id, name, m.createdAt() == null ? fresh.createdAt() : m.createdAt(),
                m.files() == null ? fresh.files() : m.files());
        write(caller.tenantId(), renamed);
        return view(caller.tenantId(), renamed);
    }

    /**
     * Deletes the environment's saved state and its name; sessions started from it keep what they got. A session
     * still running from it stops writing back (the worker writes only into an environment that exists).
     *
     * @throws NotFoundException {@code environment_not_found} when there is none of this id
     */
    public void delete(Caller caller, String id) {
        require(caller.tenantId(), id);
        blobs.delete(BrowserProfile.metadataKey(caller.tenantId(), id));
        blobs.delete(BrowserProfile.stateKey(caller.tenantId(), id));
    }

    /**
     * Makes a browser profile an environment in its own right (a name, a creation time, a place for files), unless
     * it is one: browser-use v1 creates profiles by naming them.
     */
    public void ensure(String tenantId, String id) {
        if (readMetadata(tenantId, id).isEmpty()) {
            write(tenantId, newMetadata(id, id));
        }
    }

    /**
     * @throws NotFoundException {@code environment_not_found} when the tenant has no environment of this id
     */
    public void requireExists(String tenantId, String id) {
        require(tenantId, id);
    }

    /**
     * Gives a new session the environment's files and saved browser state (its first task starts from them); the
     * session as it is now.
     */
    public Session startFrom(Session session) {
        String id = session.options().environmentId();
        ensure(session.tenantId(), id);
        Metadata m = require(session.tenantId(), id);
        Instant now = clock.instant();
        for (UploadedFile f : files.list(session.tenantId(), m.files())) {
            files.put(f.in(session.id(), now));
        }
        String key = BrowserProfile.stateKey(session.tenantId(), id);
        if (blobs.get(key).isEmpty()) {
            return session;
        }
        return sessions.update(session.withState(null, key, now), session.version());
    }

    /** Adds a file uploaded to a session to the session's environment, if it has one that still exists. */
    public void addFile(Session session, UploadedFile file) {
        String id = session.options().environmentId();
        if (id == null) {
            return;
        }
        readMetadata(session.tenantId(), id).ifPresent(m -> files.put(file.in(m.files(), clock.instant())));
    }

    /**
     * Writes a session's browser state into its environment (when the session ends), if it has one that still
     * exists and the session holds a state of its own.
     */
    public void saveFrom(Session session) {
        String id = session.options().environmentId();
        if (id == null || session.stateKey() == null || readMetadata(session.tenantId(), id).isEmpty()) {
            return;
        }
        String target = BrowserProfile.stateKey(session.tenantId(), id);
        if (session.stateKey().equals(target)) {
            return; // no task of the session saved a state of its own
        }
        blobs.get(session.stateKey()).ifPresent(state -> blobs.put(target, state, "application/json"));
    }

    private Metadata newMetadata(String id, String name) {
        return new Metadata(id, name, clock.instant(), "environments/" + UUID.randomUUID());
    }

    private void write(String tenantId, Metadata m) {
        try {
            blobs.put(BrowserProfile.metadataKey(tenantId, m.id()), Json.mapper().writeValueAsBytes(m),
                    "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Metadata require(String tenantId, String id) {
        return find(tenantId, id).orElseThrow(() -> new NotFoundException("environment_not_found",
                "environment " + id + " not found"));
    }

    /** The environment's metadata; a profile saved by browser-use v1 without any is named by its id. */
    private Optional<Metadata> find(String tenantId, String id) {
        if (id == null || !BrowserProfile.ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Optional<Metadata> m = readMetadata(tenantId, id);
        if (m.isPresent()) {
            return m;
        }
        return blobs.get(BrowserProfile.stateKey(tenantId, id)).map(state -> new Metadata(id, id, null, null));
    }

    private Optional<Metadata> readMetadata(String tenantId, String id) {
        if (id == null || !BrowserProfile.ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return blobs.get(BrowserProfile.metadataKey(tenantId, id)).flatMap(bytes -> {
            try {
                return Optional.of(Json.mapper().readValue(bytes, Metadata.class));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    private Environment view(String tenantId, Metadata m) {
        int cookies = 0;
        List<String> origins = new ArrayList<>();
        Optional<byte[]> state = blobs.get(BrowserProfile.stateKey(tenantId, m.id()));
        if (state.isPresent()) {
            try {
                JsonNode s = Json.mapper().readTree(state.get());
                cookies = s.path("cookies").size();
                for (JsonNode o : s.path("origins")) {
                    if (o.path("localStorage").size() > 0 && o.hasNonNull("origin")) {
                        origins.add(o.get("origin").asText());
                    }
                }
            } catch (IOException e) {
                // a state the browser could not have written: shown as holding nothing
            }
        }
        List<UploadedFile> held = m.files() == null ? List.of() : files.list(tenantId, m.files());
        return new Environment(m.id(), m.name(), m.createdAt(), cookies, origins, held);
    }
}
