package dev.tabrunner.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Replaces secret values wherever they would leave a task: in text and in JSON (keys and strings). The one way
 * secrets are hidden: an agent task's own secrets become their {@code <secret>name</secret>} placeholder
 * ({@link TaskSecrets}), and the values a run touched in the engine (a vault password, a TOTP code) become
 * {@code [REDACTED]}.
 *
 * <p>A value is hidden in every form it takes in text: as given and URL-encoded (a GET form puts it into a URL;
 * spaces as {@code +} or {@code %20}). Forms are replaced longest first, so a value containing another is replaced
 * whole. Values shorter than {@link #MIN_LENGTH} are ignored: a one-letter secret would blank out unrelated text.
 * Safe to use from several threads.
 */
public final class SecretMask {
    public static final int MIN_LENGTH = 4;

    private record Form(String text, String replacement) {
    }

    /** Longest first; replaced as a whole list, never changed in place. */
    private volatile List<Form> forms = List.of();

    /** Hides {@code value} (and its URL-encoded forms) behind {@code replacement}; a value already added stays. */
    public synchronized void add(String value, String replacement) {
        if (value == null || value.length() < MIN_LENGTH) {
            return;
        }
        List<Form> next = new ArrayList<>(forms);
        insert(next, new Form(value, replacement));
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
        if (!encoded.equals(value)) {
            insert(next, new Form(encoded, replacement));
            insert(next, new Form(encoded.replace("+", "%20"), replacement));
        }
        forms = List.copyOf(next);
    }

    /** After every longer form and every form of the same length added before it; once per text. */
    private static void insert(List<Form> forms, Form form) {
        int at = 0;
        for (Form f : forms) {
            if (f.text().equals(form.text())) {
                return;
            }
            if (f.text().length() >= form.text().length()) {
                at++;
            }
        }
        forms.add(at, form);
    }

    public boolean isEmpty() {
        return forms.isEmpty();
    }

    /** The text with every secret value replaced; null stays null. */
    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Form f : forms) {
            out = out.replace(f.text(), f.replacement());
        }
        return out;
    }

    /** A copy of the JSON with every secret value in keys and strings replaced; the node itself when none. */
    public JsonNode apply(JsonNode node) {
        if (forms.isEmpty() || node == null) {
            return node;
        }
        if (node.isTextual()) {
            return new TextNode(apply(node.textValue()));
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            node.forEach(n -> copy.add(apply(n)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(apply(e.getKey()), apply(e.getValue()));
            }
            return copy;
        }
        return node;
    }
}
