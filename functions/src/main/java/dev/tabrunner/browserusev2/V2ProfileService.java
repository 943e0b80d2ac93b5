package dev.tabrunner.browserusev2;

import dev.tabrunner.domain.Caller;
import dev.tabrunner.port.NotFoundException;
import dev.tabrunner.tasks.Environment;
import dev.tabrunner.tasks.EnvironmentService;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * v2's profiles are the tenant's environments (the native API's {@code /browser/environments}, which are browser-use
 * v1's {@code browser_profile_id} profiles too): one store of saved browser state, three names for it. What only v2
 * has (a {@code userId}, when it was last changed) is kept beside it.
 */
@Singleton
final class V2ProfileService {
    private final EnvironmentService environments;
    private final V2Store store;
    private final Clock clock;

    V2ProfileService(EnvironmentService environments, V2Store store, Clock clock) {
        this.environments = environments;
        this.store = store;
        this.clock = clock;
    }

    V2Views.Profile create(Caller caller, String name, String userId) {
        Environment e = environments.create(caller, name);
        store.putProfile(caller.tenantId(), e.id(), new V2Store.ProfileFields(userId, clock.instant()));
        return view(caller, e);
    }

    /**
     * @throws NotFoundException {@code profile_not_found} for an id the tenant has no profile of
     */
    Environment require(Caller caller, String id) {
        try {
            return environments.get(caller, id);
        } catch (NotFoundException e) {
            throw new NotFoundException("profile_not_found", "Profile not found");
        }
    }

    V2Views.Profile get(Caller caller, String id) {
        return view(caller, require(caller, id));
    }

    /**
     * Changes what the update names; a field left out keeps its value.
     *
     * @param name   the new name, or empty to keep it
     * @param userId the new user id (null clears it), or empty to keep it
     */
    V2Views.Profile update(Caller caller, String id, Optional<String> name, Optional<Optional<String>> userId) {
        Environment e = require(caller, id);
        if (name.isPresent()) {
            e = environments.rename(caller, id, name.get());
        }
        String user = userId.isPresent() ? userId.get().orElse(null)
                : store.profile(caller.tenantId(), id).map(V2Store.ProfileFields::userId).orElse(null);
        store.putProfile(caller.tenantId(), id, new V2Store.ProfileFields(user, clock.instant()));
        return view(caller, e);
    }

    void delete(Caller caller, String id) {
        require(caller, id);
        environments.delete(caller, id);
        store.deleteProfile(caller.tenantId(), id);
    }

    /** A page of the caller's profiles, newest first; {@code query} matches a name or user id in part. */
    V2Views.Page<V2Views.Profile> list(Caller caller, String query, int size, int number) {
        String q = query == null ? null : query.toLowerCase(Locale.ROOT);
        List<V2Views.Profile> all = environments.list(caller).stream().map(e -> view(caller, e))
                .filter(p -> q == null || contains(p.name(), q) || contains(p.userId(), q))
                .sorted(Comparator.comparing(V2Views.Profile::createdAt).reversed()).toList();
        return V2Pages.page(all, size, number);
    }

    private static boolean contains(String value, String q) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(q);
    }

    /** A profile saved by a v1 task before environments kept a creation time shows the epoch. */
    private V2Views.Profile view(Caller caller, Environment e) {
        Instant created = e.createdAt() == null ? Instant.EPOCH : e.createdAt();
        Optional<V2Store.ProfileFields> fields = store.profile(caller.tenantId(), e.id());
        return new V2Views.Profile(e.id(), fields.map(V2Store.ProfileFields::userId).orElse(null), e.name(), null,
                created, fields.map(V2Store.ProfileFields::updatedAt).orElse(created), null);
    }
}
