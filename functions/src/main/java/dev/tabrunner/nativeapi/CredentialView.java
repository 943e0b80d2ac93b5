package dev.tabrunner.nativeapi;

import dev.tabrunner.domain.Credential;

import java.util.List;

/** A credential's metadata; its secret is never shown. */
record CredentialView(String id, String name, List<String> origins, boolean hasTotp, String createdAt,
                      String updatedAt) {
    /** The tenant's credentials. */
    record Listing(List<CredentialView> credentials) {
    }

    static CredentialView of(Credential c) {
        return new CredentialView(c.id(), c.name(), c.origins(), c.hasTotp(), c.createdAt().toString(),
                c.updatedAt().toString());
    }
}
