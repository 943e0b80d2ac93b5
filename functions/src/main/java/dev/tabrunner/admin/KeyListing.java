package dev.tabrunner.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tabrunner.domain.ApiKey;

import java.util.List;

/** The keys an admin may see, oldest first: what each is, never the key itself (only its hash is stored). */
record KeyListing(List<Entry> keys) {

    /**
     * @param lastUsedAt when the key last authenticated a request, to the minute; null when never
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Entry(String id, String tenantId, String role, String name, String createdAt, String lastUsedAt) {
        static Entry of(ApiKey k) {
            return new Entry(k.id(), k.tenantId(), k.role().wireName(), k.name(), k.createdAt().toString(),
                    k.lastUsedAt() == null ? null : k.lastUsedAt().toString());
        }
    }
}
