package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tabrunner.domain.Credential;

import java.util.List;

/**
 * A credential's metadata; its password, key and TOTP secret are never shown.
 *
 * @param kind     {@code login} or {@code api_key}
 * @param username the login's username (null for an API key without one)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record CredentialView(String id, String kind, String name, String username, List<String> origins, boolean hasTotp,
                      String createdAt, String updatedAt) {
    /** The tenant's credentials. */
    record Listing(List<CredentialView> credentials) {
    }

    static CredentialView of(Credential c) {
        return new CredentialView(c.id(), c.kind(), c.name(), c.username(), c.origins(), c.hasTotp(),
                c.createdAt().toString(), c.updatedAt().toString());
    }
}
