package dev.tabrunner.http;

import dev.tabrunner.domain.Caller;

import java.util.Optional;

/** Who presents an API key. Implemented by the key management; the auth filter needs nothing else of it. */
public interface KeyAuthenticator {
    /** The caller the key belongs to; empty for an unknown, malformed or revoked key. */
    Optional<Caller> authenticate(String presentedKey);
}
