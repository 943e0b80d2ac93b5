package dev.tabrunner.testing;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

import java.util.List;
import java.util.Map;

/**
 * Writes Run Task bodies as JSON text from fuzzer data, knowing the schema: at each level it mostly picks the field
 * names that level allows and values of the right shape (action types, URLs, UUIDs, boundary numbers), so the
 * fuzzer gets past the "unknown field" and "must be a string" checks into the deep paths; now and then it writes
 * a value of any type, an unknown or duplicate key, a lone surrogate or an extreme number instead. The text is
 * written by hand rather than through Jackson so that duplicate keys and literals such as {@code 1e999999} reach
 * the parser as a client would send them.
 */
public final class TaskBodyGenerator {
    private static final int MAX_DEPTH = 6;
    private static final String HEX = "0123456789abcdef";

    private static final List<String> TOP = List.of("url", "waitUntil", "actions", "screenshot", "pdf", "content");
    private static final List<String> ACTION = List.of("type", "timeoutMs", "url", "waitUntil", "selector",
            "coordinates", "text", "key", "script", "filename", "mode", "credentialId", "selectors", "success",
            "pauseTimeoutMs", "username", "password", "totpSecret");
    private static final List<String> ACTION_TYPES = List.of("navigate", "click", "type", "press", "scroll", "wait",
            "evaluate", "screenshot", "uploadFile", "select", "hover", "authenticate", "Navigate", "");
    /** The fields each action type allows besides type and timeoutMs. */
    private static final Map<String, List<String>> ACTION_FIELDS = Map.ofEntries(
            Map.entry("navigate", List.of("url", "waitUntil")),
            Map.entry("click", List.of("selector", "coordinates")),
            Map.entry("type", List.of("selector", "text")),
            Map.entry("press", List.of("key", "selector")),
            Map.entry("scroll", List.of("selector", "coordinates", "text")),
            Map.entry("wait", List.of("selector", "text")),
            Map.entry("evaluate", List.of("script")),
            Map.entry("screenshot", List.of("selector")),
            Map.entry("uploadFile", List.of("selector", "filename")),
            Map.entry("select", List.of("selector", "text")),
            Map.entry("hover", List.of("selector")),
            Map.entry("authenticate", List.of("mode", "credentialId", "selectors", "success", "pauseTimeoutMs")));
    private static final Map<String, List<String>> OBJECT_FIELDS = Map.of(
            "coordinates", List.of("x", "y"),
            "screenshot", List.of("fullPage", "selector"),
            "pdf", List.of("format", "landscape", "margin", "printBackground", "scale"),
            "margin", List.of("top", "right", "bottom", "left"),
            "selectors", List.of("username", "password", "submit", "totp"),
            "success", List.of("condition", "value", "timeoutMs"));
    private static final Map<String, List<String>> WORDS = Map.of(
            "waitUntil", List.of("load", "domcontentloaded", "networkidle", "LOAD", "commit"),
            "mode", List.of("vault", "prompt_user", "vault_then_prompt", "VAULT"),
            "condition", List.of("url", "selector", "text", "networkIdle", "networkidle"),
            "format", List.of("A4", "a4", "Letter", "LEGAL", "tabloid", "Ledger", "A0", "A6", "A7", "İ4"),
            "credentialId", List.of("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "1-1-1-1-1",
                    "3F2504E0-4F89-11D3-9A0C-0305E82C3301", "3f2504e0-4f89-11d3-9a0c-0305e82c33011", "-----",
                    "0x1-2-3-4-5", "+1-+2-+3-+4-+5"),
            "url", List.of("https://example.com", "http://127.0.0.1:8080/a?b=c#d", "HTTPS://EXAMPLE.COM",
                    "http://[::1]/", "http://[v1.x]/", "http://user:pw@host/", "http:host", "https:///path",
                    "http://exa mple.com", "http://%zz/", "http://a_b.example/", "https://xn--e1afmkfd.xn--p1ai/",
                    "http://[::1", "http://:80", "mailto:a@b", "http://host:99999999999/", "//host/x",
                    "http://ex\u00e4mple.com/\ud83d\ude00", "http://\ud800/", "http://0251.0376.0251.0376/",
                    "http://0x7f.1/", "http://127.1/", "http://4294967295/", "http://4294967296/", "http://1.2.3.4.5/",
                    "http://[::ffff:127.0.0.1]/", "http://a:b:1/", "http://.:a:1/", "http://loc%61lhost/",
                    "http://example.com./", "http://0x/", "http://09.1/", "http://u@[::1]:8080/"));
    private static final List<String> INTEGERS = List.of("0", "1", "-1", "-0", "999", "1000", "1800000", "1800001",
            "120000", "120001", "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "18446744073709551616", "1e3", "1E3", "1.0", "1.5", "0.0", "-0.0", "1e999999", "-1e999999", "1e-999999",
            "4.9e-324", "1.7976931348623157e308", "1e400", "123456789012345678901234567890", "00", "+1", ".5",
            "NaN", "Infinity", "0x10");
    private static final List<String> DOUBLES = List.of("0", "0.1", "0.09999999999999999", "2", "2.0000000000000001",
            "100000", "100000.00000000001", "-0", "-0.0", "1e-400", "1e400", "-1e400", "1e999999", "5e-324",
            "2.5", "99999.99", "1.0E5", "12345678901234567890123456789012345678901234567890");

    private final FuzzedDataProvider data;
    private final StringBuilder out = new StringBuilder();

    private TaskBodyGenerator(FuzzedDataProvider data) {
        this.data = data;
    }

    /** A body for {@code POST .../tasks}, or, when the data says so, one for {@code POST .../pdf}. */
    public static String body(FuzzedDataProvider data) {
        TaskBodyGenerator g = new TaskBodyGenerator(data);
        if (data.consumeInt(0, 15) == 0) {
            g.anyValue(0);
        } else if (data.consumeBoolean()) {
            g.object(TOP, 0);
        } else {
            g.object(OBJECT_FIELDS.get("pdf"), 0);
        }
        if (data.consumeInt(0, 31) == 0) {
            g.out.append(data.consumeString(8));
        }
        return g.out.toString();
    }

    private void object(List<String> fields, int depth) {
        out.append('{');
        members(fields, depth, false);
        out.append('}');
    }

    /** An action: mostly a known type first, then mostly fields that type allows, so valid ones are common. */
    private void action(int depth) {
        out.append('{');
        String type = data.consumeInt(0, 15) == 0 ? data.consumeString(16) : data.pickValue(ACTION_TYPES);
        boolean typed = data.consumeInt(0, 15) != 0;
        if (typed) {
            string("type");
            out.append(':');
            string(type);
        }
        members(ACTION_FIELDS.getOrDefault(type, ACTION), depth, typed);
        out.append('}');
    }

    private void members(List<String> fields, int depth, boolean afterType) {
        int n = data.consumeInt(0, fields.size() + 1);
        for (int i = 0; i < n; i++) {
            if (afterType || i > 0) {
                out.append(',');
            }
            String name;
            int pick = data.consumeInt(0, 19);
            if (pick == 0) {
                name = data.consumeString(12);
            } else if (pick == 1) {
                name = data.pickValue(ACTION);
            } else if (pick == 2) {
                name = "timeoutMs";
            } else {
                name = data.pickValue(fields);
            }
            string(name);
            out.append(':');
            value(name, depth + 1);
        }
    }

    private void value(String field, int depth) {
        if (depth > MAX_DEPTH || data.consumeInt(0, 15) == 0) {
            anyValue(depth);
            return;
        }
        switch (field) {
            case "actions" -> actions(depth);
            case "type" -> string(data.consumeInt(0, 7) == 0 ? data.consumeString(16) : data.pickValue(ACTION_TYPES));
            case "timeoutMs", "pauseTimeoutMs" -> integer();
            case "x", "y", "scale" -> decimal();
            case "content", "fullPage", "landscape", "printBackground" -> out.append(data.consumeBoolean());
            case "coordinates", "screenshot", "pdf", "margin", "selectors", "success" ->
                    object(OBJECT_FIELDS.get(field), depth);
            default -> textFor(field);
        }
    }

    private void actions(int depth) {
        out.append('[');
        int n = data.consumeInt(0, 15) == 0 ? data.consumeInt(0, 110) : data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out.append(',');
            }
            if (data.consumeInt(0, 15) == 0) {
                anyValue(depth + 1);
            } else {
                action(depth + 1);
            }
        }
        out.append(']');
    }

    private void textFor(String field) {
        List<String> words = WORDS.get(field);
        int pick = data.consumeInt(0, 9);
        if (words != null && pick < 6) {
            String word = data.pickValue(words);
            string(pick == 0 ? word + data.consumeString(4) : word);
        } else if (pick == 6) {
            // around the length limits (4096, 8192, 100000), where an off-by-one would hide
            int length = data.pickValue(new int[] {0, 64, 65, 255, 256, 4096, 4097, 8192, 8193, 100000, 100001});
            String unit = data.consumeString(2);
            string((words == null ? "" : "https://h/").concat((unit.isEmpty() ? "a" : unit).repeat(length)));
        } else {
            string(data.consumeString(64));
        }
    }

    private void anyValue(int depth) {
        switch (depth > MAX_DEPTH ? data.consumeInt(0, 4) : data.consumeInt(0, 8)) {
            case 0 -> out.append("null");
            case 1 -> out.append(data.consumeBoolean());
            case 2 -> integer();
            case 3 -> decimal();
            case 4 -> string(data.consumeString(32));
            case 5 -> {
                out.append('[');
                int n = data.consumeInt(0, 3);
                for (int i = 0; i < n; i++) {
                    out.append(i == 0 ? "" : ",");
                    anyValue(depth + 1);
                }
                out.append(']');
            }
            case 6 -> action(depth + 1);
            case 7 -> nesting();
            default -> out.append(data.consumeString(16));
        }
    }

    /** Deep arrays and objects, past the nesting limit of the JSON reader. */
    private void nesting() {
        int depth = data.pickValue(new int[] {10, 499, 500, 501, 999, 1000, 1001, 5000, 100_000});
        boolean arrays = data.consumeBoolean();
        for (int i = 0; i < depth; i++) {
            out.append(arrays ? "[" : "{\"a\":");
        }
        out.append('1');
        for (int i = 0; i < depth; i++) {
            out.append(arrays ? ']' : '}');
        }
    }

    private void integer() {
        if (data.consumeBoolean()) {
            out.append(data.pickValue(INTEGERS));
        } else {
            out.append(data.consumeLong());
        }
    }

    private void decimal() {
        int pick = data.consumeInt(0, 2);
        if (pick == 0) {
            out.append(data.pickValue(DOUBLES));
        } else if (pick == 1) {
            double d = data.consumeRegularDouble();
            out.append(d);
        } else {
            out.append(data.consumeInt(-10, 100_001));
        }
    }

    /** A JSON string literal; sometimes with escapes, including lone and reversed surrogate halves. */
    private void string(String s) {
        out.append('"');
        boolean escapeAll = data.consumeInt(0, 15) == 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (escapeAll || c < 0x20 || c == '"' || c == '\\') {
                out.append("\\u").append(HEX.charAt(c >> 12)).append(HEX.charAt(c >> 8 & 0xf))
                        .append(HEX.charAt(c >> 4 & 0xf)).append(HEX.charAt(c & 0xf));
            } else {
                out.append(c);
            }
        }
        switch (data.consumeInt(0, 31)) {
            case 0 -> out.append("\\ud800");
            case 1 -> out.append("\\udc00\\ud800");
            case 2 -> out.append("\\ud83d\\ude00");
            case 3 -> out.append("\\u0000");
            default -> {
            }
        }
        out.append('"');
    }
}
