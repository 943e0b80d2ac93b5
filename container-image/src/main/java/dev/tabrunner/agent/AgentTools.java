package dev.tabrunner.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.action.AgentTaskRequest;
import dev.tabrunner.json.Json;
import dev.tabrunner.llm.ToolSpec;

import java.util.ArrayList;
import java.util.List;

/** The tools the model may call: seed 000's action types by element index or selector, plus the agent's own. */
final class AgentTools {
    static final String NAVIGATE = "navigate";
    static final String CLICK = "click";
    static final String TYPE = "type";
    static final String SELECT = "select";
    static final String PRESS = "press";
    static final String HOVER = "hover";
    static final String SCROLL = "scroll";
    static final String WAIT = "wait";
    static final String UPLOAD_FILE = "uploadFile";
    static final String AUTHENTICATE = "authenticate";
    static final String EXTRACT = "extract";
    static final String DONE = "done";
    static final String ASK_HUMAN = "ask_human";

    private AgentTools() {
    }

    static List<ToolSpec> forRequest(AgentTaskRequest request) {
        List<ToolSpec> tools = new ArrayList<>();
        tools.add(new ToolSpec(NAVIGATE, "Open a URL in the current tab.",
                object(prop("url", "string", "absolute http(s) URL"), "url")));
        tools.add(new ToolSpec(CLICK, "Click an element.", target()));
        tools.add(new ToolSpec(TYPE, "Replace the content of a text field with text. To type a secret, write its"
                + " placeholder, e.g. <secret>password</secret>.",
                target(prop("text", "string", "the text to type"), "text")));
        tools.add(new ToolSpec(SELECT, "Choose an option of a <select> by its visible label.",
                target(prop("option", "string", "the option's label"), "option")));
        tools.add(new ToolSpec(PRESS, "Press a key (Enter, Tab, Escape, ArrowDown, ...), in an element when one is"
                + " given.", target(prop("key", "string", "a key name as Playwright knows it"), "key")));
        tools.add(new ToolSpec(HOVER, "Move the mouse over an element.", target()));
        ObjectNode scroll = target();
        props(scroll).set("direction", Json.mapper().createObjectNode().put("type", "string")
                .put("description", "without an element: scroll the page up or down by one screen")
                .set("enum", Json.mapper().createArrayNode().add("up").add("down")));
        tools.add(new ToolSpec(SCROLL, "Scroll an element into view, or the page by a screen.", scroll));
        ObjectNode wait = object(prop("selector", "string", "CSS selector to wait for"));
        props(wait).set("text", prop("text", "string", "text to wait for").get("text"));
        props(wait).set("seconds", Json.mapper().createObjectNode().put("type", "number").put("minimum", 0.1)
                .put("maximum", 30));
        tools.add(new ToolSpec(WAIT, "Wait until an element or a text is visible.", wait));
        if (!request.files().isEmpty()) {
            ObjectNode upload = target(prop("filename", "string", "one of the task's files"), "filename");
            ArrayNode names = Json.mapper().createArrayNode();
            request.files().forEach(names::add);
            ((ObjectNode) props(upload).get("filename")).set("enum", names);
            tools.add(new ToolSpec(UPLOAD_FILE, "Put one of the task's files into a file input.", upload));
        }
        ObjectNode auth = object(prop("credentialId", "string", "id of a credential the user registered"),
                "credentialId");
        props(auth).set("mode", Json.mapper().createObjectNode().put("type", "string")
                .set("enum", Json.mapper().createArrayNode().add("vault").add("vault_then_prompt")
                        .add("prompt_user")));
        tools.add(new ToolSpec(AUTHENTICATE, "Log in on the current page with a stored credential (you never see"
                + " its values).", auth));
        ObjectNode extract = target(prop("name", "string", "a name for what you read"));
        tools.add(new ToolSpec(EXTRACT, "Read the text of an element (or of the whole page when none is given);"
                + " the text is returned to you and kept for the output.", extract));
        tools.add(new ToolSpec(DONE, "Finish the task with a final message for the user"
                + (request.outputSchema() != null ? " and the structured output." : "."), done(request)));
        tools.add(new ToolSpec(ASK_HUMAN, "Ask the user a question when you cannot go on without them: a choice,"
                + " a missing detail, a confirmation, a code sent to them.",
                object(prop("question", "string", "the question"), "question")));
        return tools;
    }

    private static ObjectNode done(AgentTaskRequest request) {
        ObjectNode schema = object(prop("message", "string", "what was done or found, for the user"),
                "message");
        if (request.outputSchema() != null) {
            ObjectNode output = request.outputSchema().deepCopy();
            // definitions of the caller's schema move to the root of the parameters, where its "#/$defs/..."
            // references now point
            for (String defs : List.of("$defs", "definitions")) {
                if (output.has(defs)) {
                    schema.set(defs, output.remove(defs));
                }
            }
            output.remove("$schema");
            output.remove("$id");
            props(schema).set("output", output);
            ((ArrayNode) schema.get("required")).add("output");
        } else {
            props(schema).set("output", Json.mapper().createObjectNode()
                    .put("description", "optional structured result (any JSON)"));
        }
        return schema;
    }

    private static ObjectNode target() {
        return target(null);
    }

    private static ObjectNode target(ObjectNode extra, String... required) {
        ObjectNode schema = object(prop("index", "integer", "the element's [index] in the observation"),
                required);
        props(schema).set("selector", prop("selector", "string", "a CSS selector, when no index fits")
                .get("selector"));
        if (extra != null) {
            extra.fields().forEachRemaining(e -> props(schema).set(e.getKey(), e.getValue()));
        }
        return schema;
    }

    private static ObjectNode prop(String name, String type, String description) {
        ObjectNode p = Json.mapper().createObjectNode();
        p.putObject(name).put("type", type).put("description", description);
        return p;
    }

    private static ObjectNode object(ObjectNode properties, String... required) {
        ObjectNode schema = Json.mapper().createObjectNode().put("type", "object");
        schema.set("properties", properties);
        ArrayNode req = schema.putArray("required");
        for (String r : required) {
            req.add(r);
        }
        return schema;
    }

    private static ObjectNode props(ObjectNode schema) {
        return (ObjectNode) schema.get("properties");
    }

    static JsonNode arg(JsonNode args, String name) {
        JsonNode v = args.get(name);
        return v == null || v.isNull() ? null : v;
    }
}
