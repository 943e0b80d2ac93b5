package dev.tabrunner.admin;

import dev.tabrunner.domain.ApiKey;
import dev.tabrunner.domain.Caller;
import dev.tabrunner.domain.Role;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.http.KeyAuthenticator;
import dev.tabrunner.port.ApiKeyStore;
import dev.tabrunner.port.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * API keys look like {@code trk_<id>_<secret>}: the id finds the stored row, the SHA-256 of the whole key is
 * compared in constant time. A fast hash is enough because generated keys carry 256 random bits; there is
 * nothing to brute-force. The operator's {@code TABRUNNER_ADMIN_KEY} can be any string and is stored under a
 * fixed id.
 */
@Singleton
public final class ApiKeyService implements KeyAuthenticator {
    public static final String ENV_ADMIN_KEY_ID = "env-admin";
    private static final Pattern GENERATED = Pattern.compile("trk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyService.class);
    /** A key's last use is written at most this often per process: a busy key must not cost a write per request. */
    static final Duration USE_RESOLUTION = Duration.ofMinutes(1);

    private final ApiKeyStore store;
    private final Clock clock;
    private final Map<String, Instant> lastRecorded = new ConcurrentHashMap<>();

    public ApiKeyService(ApiKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A key and the secret shown once. */
    public record IssuedKey(ApiKey key, String secret) {
    }

    @Override
    public Optional<Caller> authenticate(String presented) {
        if (presented.isEmpty() || presented.length() > 512) {
            return Optional.empty();
        }
        var m = GENERATED.matcher(presented);
        String id = m.matches() ? m.group(1) : ENV_ADMIN_KEY_ID;
        Optional<Caller> caller = store.find(id)
                .filter(k -> MessageDigest.isEqual(k.secretHash().getBytes(StandardCharsets.US_ASCII),
                        hash(presented).getBytes(StandardCharsets.US_ASCII)))
                .map(k -> new Caller(k.id(), k.tenantId(), k.role()));
        caller.ifPresent(c -> recordUse(c.keyId()));
        return caller;
    }

    /** Writes the key's last use when this process has not written it within {@link #USE_RESOLUTION}. */
    private void recordUse(String keyId) {
        Instant now = clock.instant();
        Instant before = lastRecorded.get(keyId);
        if (before != null && before.plus(USE_RESOLUTION).isAfter(now)) {
            return;
        }
        lastRecorded.put(keyId, now);
        try {
            store.touch(keyId, now);
        } catch (StoreUnavailableException e) {
            // the request goes on: a missed "last used" costs less than a refused caller
            LOG.warn("could not record the use of api key {}: {}", keyId, e.getMessage());
        }
    }

    /**
     * The keys an admin may see: its tenant's, or every tenant's for the operator's admins (who create them). Never
     * the secret, which is not stored.
     */
    public List<ApiKey> list(Caller caller) {
        requireAdmin(caller);
        return store.list(caller.isOperator() ? null : caller.tenantId());
    }

    /**
     * Issues a key. An admin issues keys for its own tenant; the operator's admins (tenant {@code default}) may
     * also issue keys for other tenants, which is how tenants come to exist.
     */
    public IssuedKey create(Caller caller, Role role, String tenantId, String name) {
        requireAdmin(caller);
        String tenant = tenantId == null ? caller.tenantId() : tenantId;
        if (!TENANT.matcher(tenant).matches()) {
            throw ApiException.badRequest("tenantId", "must be 1-63 lowercase letters, digits or dashes");
        }
        if (!tenant.equals(caller.tenantId()) && !caller.isOperator()) {
            throw ApiException.forbidden("only the operator's admin keys may create keys for other tenants");
        }
        return issue(role, tenant, name);
    }

    private IssuedKey issue(Role role, String tenant, String name) {
        String id = HexFormat.of().formatHex(randomBytes(8));
        String secret = "trk_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        ApiKey key = new ApiKey(id, tenant, role, name, hash(secret), clock.instant());
        store.put(key, false);
        return new IssuedKey(key, secret);
    }

    /**
     * An admin revokes keys of its tenant; the operator, who creates other tenants' keys, revokes any key.
     *
     * @return false when no such key exists in the caller's tenant
     */
    public boolean revoke(Caller caller, String keyId) {
        requireAdmin(caller);
        if (caller.isOperator()) {
            return store.find(keyId).map(k -> store.delete(k.tenantId(), keyId)).orElse(false);
        }
        return store.delete(caller.tenantId(), keyId);
    }

    /** Registers the operator's chosen admin key (replacing an earlier one). */
    public void registerOperatorKey(String secret) {
        store.put(new ApiKey(ENV_ADMIN_KEY_ID, Caller.OPERATOR_TENANT, Role.ADMIN, "TABRUNNER_ADMIN_KEY",
                hash(secret), clock.instant()), true);
    }

    /**
     * Issues the first admin key of a deployment that has none (on AWS, where no operator sets
     * {@code TABRUNNER_ADMIN_KEY}). The key takes the operator key's fixed slot with a conditional write, so it is
     * issued once: later calls are refused until an admin revokes it ({@code DELETE /admin/api-keys/env-admin}).
     * Its form, {@code trk_admin_<secret>}, is not a generated key's, so it is looked up in that slot.
     *
     * @throws dev.tabrunner.port.ConflictException when an operator key exists
     */
    public IssuedKey bootstrapOperatorKey() {
        String secret = "trk_admin_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        ApiKey key = new ApiKey(ENV_ADMIN_KEY_ID, Caller.OPERATOR_TENANT, Role.ADMIN, "bootstrap", hash(secret),
                clock.instant());
        store.put(key, false);
        return new IssuedKey(key, secret);
    }

    /**
     * The recovery path when the operator's admin key is lost (or leaked): a new key takes the operator key's fixed
     * slot, replacing whatever key was there, which stops working at once. Called by the operator with access to the
     * deployment itself (a direct Lambda invocation on AWS, {@code ./tabrunner admin-key --rotate} locally), never
     * through the API.
     */
    public IssuedKey rotateOperatorKey() {
        String secret = "trk_admin_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        ApiKey key = new ApiKey(ENV_ADMIN_KEY_ID, Caller.OPERATOR_TENANT, Role.ADMIN, "rotated", hash(secret),
                clock.instant());
        store.put(key, true);
        return new IssuedKey(key, secret);
    }

    /** Revokes a key by its secret (the operator's old key, named by the file that kept it); false when unknown. */
    public boolean revokeBySecret(String secret) {
        var m = GENERATED.matcher(secret);
        if (!m.matches()) {
            return false;
        }
        return store.find(m.group(1)).filter(k -> k.secretHash().equals(hash(secret)))
                .map(k -> store.delete(k.tenantId(), k.id())).orElse(false);
    }

    /** Issues an admin key of the operator's tenant, for the first start of a deployment. */
    public IssuedKey issueOperatorKey(String name) {
        return issue(Role.ADMIN, Caller.OPERATOR_TENANT, name);
    }

    private static void requireAdmin(Caller caller) {
        if (!caller.isAdmin()) {
            throw ApiException.forbidden("this call needs an admin key");
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
