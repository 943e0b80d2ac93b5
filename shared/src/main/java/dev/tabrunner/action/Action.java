package dev.tabrunner.action;

/**
 * One step of a scripted task (seed 000's action schema). A closed set: the engine's executor and
 * {@link ActionJson} switch over it with no default, so a new type does not compile until both handle it. The
 * parser ({@link TaskRequestParser}) and the agent's tools read types by name and are extended by hand.
 */
public sealed interface Action permits Action.Navigate, Action.Click, Action.Type, Action.Press, Action.Scroll,
        Action.Wait, Action.Evaluate, Action.Screenshot, Action.UploadFile, Action.Select, Action.Hover,
        Action.Authenticate {

    /** The wire name of the action type. */
    String type();

    /** Per-action timeout in milliseconds, or null for the engine's default. */
    Long timeoutMs();

    record Point(double x, double y) {
    }

    record Navigate(String url, WaitUntil waitUntil, Long timeoutMs) implements Action {
        public String type() {
            return "navigate";
        }
    }

    /** Exactly one of {@code selector} and {@code coordinates} is set. */
    record Click(String selector, Point coordinates, Long timeoutMs) implements Action {
        public String type() {
            return "click";
        }
    }

    record Type(String selector, String text, Long timeoutMs) implements Action {
        public String type() {
            return "type";
        }
    }

    record Press(String key, String selector, Long timeoutMs) implements Action {
        public String type() {
            return "press";
        }
    }

    /** Exactly one of {@code selector}, {@code coordinates} and {@code text} is set. */
    record Scroll(String selector, Point coordinates, String text, Long timeoutMs) implements Action {
        public String type() {
            return "scroll";
        }
    }

    /** Exactly one of {@code selector} and {@code text} is set. */
    record Wait(String selector, String text, Long timeoutMs) implements Action {
        public String type() {
            return "wait";
        }
    }

    record Evaluate(String script, Long timeoutMs) implements Action {
        public String type() {
            return "evaluate";
        }
    }

    record Screenshot(String selector, Long timeoutMs) implements Action {
        public String type() {
            return "screenshot";
        }
    }

    record UploadFile(String selector, String filename, Long timeoutMs) implements Action {
        public String type() {
            return "uploadFile";
        }
    }

    record Select(String selector, String text, Long timeoutMs) implements Action {
        public String type() {
            return "select";
        }
    }

    record Hover(String selector, Long timeoutMs) implements Action {
        public String type() {
            return "hover";
        }
    }

    /** Log in with a vault credential or through a person on the live view. Never carries a password. */
    record Authenticate(AuthMode mode, String credentialId, LoginSelectors selectors, SuccessCondition success,
                        Long pauseTimeoutMs, Long timeoutMs) implements Action {
        public String type() {
            return "authenticate";
        }
    }

    enum AuthMode {
        VAULT("vault"), PROMPT_USER("prompt_user"), VAULT_THEN_PROMPT("vault_then_prompt");

        private final String wire;

        AuthMode(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    record LoginSelectors(String username, String password, String submit, String totp) {
    }

    record SuccessCondition(String condition, String value, Long timeoutMs) {
    }
}
