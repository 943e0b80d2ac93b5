package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.SecretMask;

/**
 * Hides the secret values that a run touched (a vault password, a TOTP secret or code) wherever they would leave
 * the engine, in every encoded form: action results, the page's URL, the network log, stored HTML, error
 * messages. The replacing is {@link SecretMask}'s, the same
 * as for an agent task's own secrets; here a value becomes {@value #MARKER} since it has no name to show.
 */
final class Redactor {
    static final String MARKER = "[REDACTED]";

    private final SecretMask mask = new SecretMask();
    private boolean secretsEntered;

    void add(String secret) {
        mask.add(secret, MARKER);
        secretsEntered = true;
    }

    /**
     * Notes that a secret may be in the page now without this run knowing its value (a person typed it through the
     * live view).
     */
    void secretEnteredUnseen() {
        secretsEntered = true;
    }

    /**
     * Whether a secret may be in the page: its context must then not serve the session's next task, which would find
     * it in the page's fields without knowing to redact it (a restored context reloads the page, empty).
     */
    boolean secretsEntered() {
        return secretsEntered;
    }

    String redact(String text) {
        return mask.apply(text);
    }

    JsonNode redact(JsonNode node) {
        return mask.apply(node);
    }

    /** True when the text holds any form of a secret of the run. */
    boolean reveals(String text) {
        return mask.reveals(text);
    }
}
