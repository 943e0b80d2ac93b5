package dev.tabrunner.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces secret values wherever they would leave a task: in text and in JSON (keys and strings). The one way
 * secrets are hidden: an agent task's own secrets become their {@code <secret>name</secret>} placeholder
 * ({@link TaskSecrets}), and the values a run touched in the engine (a vault password, a TOTP code) become
 * {@code [REDACTED]}.
 *
 * <p>A value is hidden in every form a page, a URL or a document can give it, each character on its own: as
 * itself, percent-encoded (its UTF-8 bytes as {@code %XX}, either case: a GET form, {@code encodeURIComponent}),
 * a space as {@code +} (form encoding), HTML-escaped ({@code &amp;}, {@code &lt;}, {@code &#38;}, {@code &#x26;})
 * and JSON/JavaScript-escaped ({@code \u0026}, {@code \"}). Mixed forms count too ({@code a%20b&amp;c}): a site
 * that encodes only some characters still has its echo hidden. Values are matched longest first, so a value
 * containing another is replaced whole. Values shorter than {@link #MIN_LENGTH} are ignored: a one-letter secret
 * would blank out unrelated text. Safe to use from several threads.
 */
public final class SecretMask {
    public static final int MIN_LENGTH = 4;
    /** Named HTML entities of the characters an HTML serializer escapes. */
    private static final Map<Integer, String> NAMED = Map.of((int) '&', "amp", (int) '<', "lt", (int) '>', "gt",
            (int) '"', "quot", (int) '\'', "apos", 0xA0, "nbsp");

    private record Form(String value, Pattern pattern, String replacement) {
    }

    /** Longest value first; replaced as a whole list, never changed in place. */
    private volatile List<Form> forms = List.of();

    /** Hides {@code value} (in every encoded form) behind {@code replacement}; a value already added stays. */
    public synchronized void add(String value, String replacement) {
        if (value == null || value.length() < MIN_LENGTH) {
            return;
        }
        List<Form> next = new ArrayList<>(forms);
        int at = 0;
        for (Form f : next) {
            if (f.value().equals(value)) {
                return;
            }
            if (f.value().length() >= value.length()) {
                at++;
            }
        }
        next.add(at, new Form(value, pattern(value), replacement));
        forms = List.copyOf(next);
    }

    /**
     * One alternation per character: a fixed set of spellings, no nested repetition, so matching stays linear in
     * the text.
     */
    private static Pattern pattern(String value) {
        StringBuilder regex = new StringBuilder();
        value.codePoints().forEach(cp -> {
            List<String> spellings = new ArrayList<>();
            spellings.add(Pattern.quote(new String(Character.toChars(cp))));
            StringBuilder percent = new StringBuilder();
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                percent.append("%").append(String.format("%02X", b & 0xff));
            }
            spellings.add("(?i:" + percent + ")");
            if (cp == ' ') {
                spellings.add("\\+");
            }
            spellings.add("&#0*" + cp + ";");
            spellings.add("(?i:&#x0*" + Integer.toHexString(cp) + ";)");
            String named = NAMED.get(cp);
            if (named != null) {
                spellings.add("&" + named + ";");
            }
            if (cp <= 0xFFFF) {
                spellings.add("(?i:\\\\u" + String.format("%04x", cp) + ")");
            }
            if (cp == '"' || cp == '\\' || cp == '/' || cp == '\'') {
                spellings.add(Pattern.quote("\\" + (char) cp));
            }
            regex.append("(?:").append(String.join("|", spellings)).append(")");
        });
        return Pattern.compile(regex.toString());
    }

    public boolean isEmpty() {
        return forms.isEmpty();
    }

    /** True when the text holds any form of a secret value. */
    public boolean reveals(String text) {
        if (text == null) {
            return false;
        }
        for (Form f : forms) {
            if (f.pattern().matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    /** The text with every secret value replaced; null stays null. */
    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (Form f : forms) {
            Matcher m = f.pattern().matcher(out);
            if (m.find()) {
                out = m.replaceAll(Matcher.quoteReplacement(f.replacement()));
            }
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

    /** Never the values themselves: a mask may end up in a log line. */
    @Override
    public String toString() {
        return "SecretMask[" + forms.size() + " value(s)]";
    }
}
