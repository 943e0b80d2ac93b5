package dev.tabrunner.domain;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secrets of an agent task ({@code secrets: [{name, value}]}). The model only ever sees their names, as the
 * placeholder {@code <secret>name</secret>} (it may also write {@code {{name}}}); the value replaces the placeholder
 * only in the text the browser types, and any value that shows up anywhere else (a page echoing it, an error
 * message, a URL) is turned back into its placeholder before it is stored, logged or shown to the model.
 */
public final class TaskSecrets {
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");
    /** Shorter values cannot be concealed without blanking unrelated text (a one-letter secret would). */
    public static final int MIN_VALUE_LENGTH = SecretMask.MIN_LENGTH;
    private static final Pattern PLACEHOLDER = Pattern.compile(
            "<secret>\\s*([A-Za-z_][A-Za-z0-9_.-]{0,63})\\s*</secret>|\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.-]{0,63})\\s*}}");
    private static final TaskSecrets NONE = new TaskSecrets(Map.of());

    private final Map<String, String> values;
    private final SecretMask mask = new SecretMask();

    public TaskSecrets(Map<String, String> values) {
        this.values = new LinkedHashMap<>(values);
        values.forEach((name, value) -> {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid secret name");
            }
            if (value == null || value.length() < MIN_VALUE_LENGTH) {
                throw new IllegalArgumentException("secret values have at least " + MIN_VALUE_LENGTH
                        + " characters");
            }
            mask.add(value, placeholder(name));
        });
    }

    public static TaskSecrets none() {
        return NONE;
    }

    public static String placeholder(String name) {
        return "<secret>" + name + "</secret>";
    }

    public Set<String> names() {
        return values.keySet();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * The values by name, for sealing into the credential vault. Never log or return it.
     */
    public Map<String, String> values() {
        return Map.copyOf(values);
    }

    /**
     * The text to type: each placeholder of a known secret replaced by its value. Unknown names stay as written,
     * so a typo shows up as literal text rather than as a silent empty string.
     */
    public String substitute(String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = values.get(name);
            m.appendReplacement(out, Matcher.quoteReplacement(value != null ? value : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** True when the text names at least one known secret. */
    public boolean mentionsSecret(String text) {
        if (text == null) {
            return false;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            if (values.containsKey(m.group(1) != null ? m.group(1) : m.group(2))) {
                return true;
            }
        }
        return false;
    }

    /** The text with every secret value replaced by its placeholder. */
    public String conceal(String text) {
        return mask.apply(text);
    }

    /** A copy of the JSON with every secret value in keys and strings replaced by its placeholder. */
    public JsonNode conceal(JsonNode node) {
        return mask.apply(node);
    }

    @Override
    public String toString() {
        return "TaskSecrets" + names();
    }
}
