package dev.tabrunner.domain;

import java.util.Objects;

/** The authenticated principal of one request: which key, which tenant, which role. */
public record Caller(String keyId, String tenantId, Role role) {
    /** The tenant the operator's first admin key belongs to; its admins may create keys for any tenant. */
    public static final String OPERATOR_TENANT = "default";

    public Caller {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(role, "role");
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    public boolean isOperator() {
        return isAdmin() && OPERATOR_TENANT.equals(tenantId);
    }
}
