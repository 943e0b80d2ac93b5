package dev.tabrunner.browserusev2;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.BlobStore;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What v2 keeps beside the native stores, as small JSON objects in the blob store (a bucket on AWS): its sessions'
 * records, its profiles' user ids, and the index of public shares by a hash of their token. Reads are by key, and
 * a tenant's sessions are listed by prefix: v2 adds no table.
 */
@Singleton
final class V2Store {
    private static final String ROOT = "browser-use-v2/";

    private final BlobStore blobs;

    V2Store(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** A profile's v2 fields. */
    record ProfileFields(String userId, Instant updatedAt) {
    }

    /** Where a public share's token leads. */
    record ShareTarget(String tenantId, String sessionId) {
    }

    Optional<V2SessionRecord> session(String tenantId, String sessionId) {
        return read(sessionKey(tenantId, sessionId), V2SessionRecord.class);
    }

    void putSession(String tenantId, V2SessionRecord r) {
        write(sessionKey(tenantId, r.id()), r);
    }

    void deleteSession(String tenantId, String sessionId) {
        blobs.delete(sessionKey(tenantId, sessionId));
    }

    /** The ids of the tenant's v2 sessions, of every kind. */
    List<String> sessionIds(String tenantId) {
        String prefix = ROOT + tenantId + "/sessions/";
        List<String> out = new ArrayList<>();
        for (String key : blobs.list(prefix)) {
            if (key.endsWith(".json")) {
                out.add(key.substring(prefix.length(), key.length() - ".json".length()));
            }
        }
        return out;
    }

    Optional<ProfileFields> profile(String tenantId, String profileId) {
        return read(ROOT + tenantId + "/profiles/" + profileId + ".json", ProfileFields.class);
    }

    void putProfile(String tenantId, String profileId, ProfileFields fields) {
        write(ROOT + tenantId + "/profiles/" + profileId + ".json", fields);
    }

    void deleteProfile(String tenantId, String profileId) {
        blobs.delete(ROOT + tenantId + "/profiles/" + profileId + ".json");
    }

    Optional<ShareTarget> share(String token) {
        return read(shareKey(token), ShareTarget.class);
    }

    void putShare(String token, ShareTarget target) {
        write(shareKey(token), target);
    }

    void deleteShare(String token) {
        blobs.delete(shareKey(token));
    }

    private static String sessionKey(String tenantId, String sessionId) {
        return ROOT + tenantId + "/sessions/" + sessionId + ".json";
    }

    /** Only a hash of the token is a key: listing the bucket shows no working link. */
    private static String shareKey(String token) {
        try {
            return ROOT + "shares/" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8))) + ".json";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> Optional<T> read(String key, Class<T> type) {
        return blobs.get(key).flatMap(bytes -> {
            try {
                return Optional.of(Json.mapper().readValue(bytes, type));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    private void write(String key, Object value) {
        try {
            blobs.put(key, Json.mapper().writeValueAsBytes(value), "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
