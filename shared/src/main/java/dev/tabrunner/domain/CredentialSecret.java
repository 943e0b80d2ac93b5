package dev.tabrunner.domain;

import java.util.Objects;

/** The secret part of a credential. {@link #toString()} never shows the values, so a stray log line cannot. */
public record CredentialSecret(String username, String password, String totpSecret) {
    public CredentialSecret {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "CredentialSecret[redacted]";
    }
}
