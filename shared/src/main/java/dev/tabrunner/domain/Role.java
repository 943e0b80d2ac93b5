package dev.tabrunner.domain;

/** What an API key may do. Admins manage keys and credentials; users run sessions and tasks. */
public enum Role {
    ADMIN, USER;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException when the name is not a role
     */
    public static Role fromWire(String name) {
        return switch (name) {
            case "admin" -> ADMIN;
            case "user" -> USER;
            default -> throw new IllegalArgumentException("role must be 'admin' or 'user'");
        };
    }
}
