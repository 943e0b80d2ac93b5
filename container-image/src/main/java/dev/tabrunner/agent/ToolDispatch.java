package dev.tabrunner.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.WaitUntilState;
import dev.tabrunner.action.Action;
import dev.tabrunner.action.ActionJson;
import dev.tabrunner.action.AgentTaskRequest;
import dev.tabrunner.action.WaitUntil;
import dev.tabrunner.domain.TaskSecrets;
import dev.tabrunner.engine.ActionFailure;
import dev.tabrunner.json.Json;
import dev.tabrunner.json.JsonSchemas;
import dev.tabrunner.llm.ToolCall;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Carries out the model's tool calls: a browser tool becomes a seed-000 action (an element by its index in the last
 * observation, the secret placeholders of typed text filled in only here) run through the {@link ActionRunner} and
 * added to the replay list with its placeholders; {@code extract}, {@code done} and {@code ask_human} are the
 * agent's own. A bad call is answered with an error the model can correct, never thrown.
 */
final class ToolDispatch {
    private static final int MAX_EXTRACT = 8000;
    private static final int MAX_OUTPUT_CHARS = 65_536;
    private static final int SETTLE_MS = 400;

    private final AgentTaskRequest request;
    private final TaskSecrets secrets;
    private final ActionRunner actions;
    private final AgentSettings settings;
    private final JsonSchemas.Compiled outputSchema;
    private final UnaryOperator<String> conceal;

    ToolDispatch(AgentTaskRequest request, TaskSecrets secrets, ActionRunner actions, AgentSettings settings,
                 UnaryOperator<String> conceal) {
        this.request = request;
        this.secrets = secrets;
        this.actions = actions;
        this.settings = settings;
        this.outputSchema = request.outputSchema() == null ? null : JsonSchemas.compile(request.outputSchema());
        this.conceal = conceal;
    }

    /**
     * @throws ActionFailure   when a browser tool's action failed (the loop tells the model, or ends the task when
     *                         the browser is gone)
     * @throws RuntimeException whatever the runner throws to end the run (a stop request)
     */
    ToolResult execute(LoopRun run, ToolCall call) {
        if (!call.arguments().isObject()) {
            return ToolResult.failed("the arguments are not a JSON object (was your answer cut off? be brief)");
        }
        JsonNode args = call.arguments();
        String urlBefore = run.page.url();
        return switch (call.name()) {
            case AgentTools.DONE -> done(run.state, args);
            case AgentTools.ASK_HUMAN -> {
                JsonNode q = AgentTools.arg(args, "question");
                if (q == null || !q.isTextual() || q.textValue().isBlank()) {
                    yield ToolResult.failed("ask_human needs a question");
                }
                yield new ToolResult(true, "(waiting for the user's answer)", false, null,
                        conceal.apply(q.textValue()), null);
            }
            case AgentTools.EXTRACT -> extract(run, args);
            default -> {
                Action action = toAction(run, call.name(), args);
                ObjectNode result = actions.run(run.page, substitute(action));
                run.state.replay.add(secrets.conceal(ActionJson.toJson(action)));
                if (action instanceof Action.Click || action instanceof Action.Press) {
                    settle(run.page, urlBefore);
                }
                String urlAfter = run.page.url();
                boolean changed = !urlAfter.equals(urlBefore) || action instanceof Action.Navigate
                        || action instanceof Action.Authenticate;
                yield ToolResult.ok(describe(result, urlBefore, urlAfter), changed);
            }
        };
    }

    /**
     * A click or key press may start a navigation that has not changed the URL yet when the action returns; the next
     * action of the same step would then run on a page that is going away. Gives it a moment to show.
     */
    private static void settle(Page page, String urlBefore) {
        try {
            page.waitForURL(u -> !u.equals(urlBefore), new Page.WaitForURLOptions()
                    .setTimeout(SETTLE_MS).setWaitUntil(WaitUntilState.COMMIT));
        } catch (TimeoutError stayed) {
            // no navigation: the page stays
        }
    }

    /** Builds the seed-000 action a tool call stands for; the text to type keeps its placeholders here. */
    private Action toAction(LoopRun run, String tool, JsonNode args) {
        return switch (tool) {
            case AgentTools.NAVIGATE -> new Action.Navigate(url(args), WaitUntil.LOAD, null);
            case AgentTools.CLICK -> new Action.Click(target(run, args, true), null, null);
            case AgentTools.TYPE -> new Action.Type(target(run, args, true), text(args, "text"), null);
            case AgentTools.SELECT -> new Action.Select(target(run, args, true), text(args, "option"), null);
            case AgentTools.PRESS -> new Action.Press(text(args, "key"), target(run, args, false), null);
            case AgentTools.HOVER -> new Action.Hover(target(run, args, true), null);
            case AgentTools.SCROLL -> scroll(run, args);
            case AgentTools.WAIT -> wait(args);
            case AgentTools.UPLOAD_FILE -> {
                String name = text(args, "filename");
                if (!request.files().contains(name)) {
                    throw new ActionFailure(404, "file_not_found", "'" + name + "' is not one of the task's files "
                            + request.files());
                }
                yield new Action.UploadFile(target(run, args, true), name, null);
            }
            case AgentTools.AUTHENTICATE -> {
                String mode = args.path("mode").asText("vault");
                Action.AuthMode m = Action.AuthMode.VAULT;
                for (Action.AuthMode candidate : Action.AuthMode.values()) {
                    if (candidate.wire().equals(mode)) {
                        m = candidate;
                    }
                }
                String id = text(args, "credentialId");
                try {
                    UUID.fromString(id);
                } catch (IllegalArgumentException e) {
                    throw new ActionFailure(404, "credential_not_found", "'" + id + "' is not a credential id");
                }
                yield new Action.Authenticate(m, id, null, null, null, null);
            }
            default -> throw new ActionFailure(400, "unknown_tool", "there is no tool named '" + tool + "'");
        };
    }

    private Action substitute(Action action) {
        if (action instanceof Action.Type t && secrets.mentionsSecret(t.text())) {
            return new Action.Type(t.selector(), secrets.substitute(t.text()), t.timeoutMs());
        }
        return action;
    }

    private static String text(JsonNode args, String name) {
        JsonNode v = AgentTools.arg(args, name);
        if (v == null || !v.isValueNode()) {
            throw new ActionFailure(400, "missing_argument", "'" + name + "' is required");
        }
        return v.asText();
    }

    private static String url(JsonNode args) {
        String url = text(args, "url");
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                throw new ActionFailure(400, "invalid_url", "only absolute http(s) URLs can be opened");
            }
        } catch (URISyntaxException | NumberFormatException e) {
            throw new ActionFailure(400, "invalid_url", "'" + url + "' is not a URL");
        }
        return url;
    }

    /** The CSS selector of the element the model means: by index from the last observation, or as given. */
    private static String target(LoopRun run, JsonNode args, boolean required) {
        JsonNode index = AgentTools.arg(args, "index");
        if (index != null) {
            if (!index.canConvertToInt()) {
                throw new ActionFailure(400, "invalid_index", "index must be an element's number");
            }
            return run.observation.element(index.asInt()).map(PageObserver.Element::selector)
                    .orElseThrow(() -> new ActionFailure(404, "element_not_found", "no element has index "
                            + index.asInt() + " on the current page"));
        }
        JsonNode selector = AgentTools.arg(args, "selector");
        if (selector != null && selector.isTextual() && !selector.textValue().isBlank()) {
            return selector.textValue();
        }
        if (required) {
            throw new ActionFailure(400, "missing_argument", "give the element's index (or a selector)");
        }
        return null;
    }

    private Action scroll(LoopRun run, JsonNode args) {
        String selector = target(run, args, false);
        if (selector != null) {
            return new Action.Scroll(selector, null, null, null);
        }
        PageObserver.Observation o = run.observation;
        double by = o.viewportHeight() * 0.8;
        boolean up = "up".equals(args.path("direction").asText("down"));
        double y = Math.max(0, Math.min(o.scrollHeight(), o.scrollY() + (up ? -by : by)));
        return new Action.Scroll(null, new Action.Point(0, Math.round(y)), null, null);
    }

    private static Action wait(JsonNode args) {
        JsonNode selector = AgentTools.arg(args, "selector");
        JsonNode text = AgentTools.arg(args, "text");
        Long timeout = args.has("seconds") ? Math.round(Math.min(30, Math.max(0.1,
                args.get("seconds").asDouble())) * 1000) : null;
        if (selector != null && selector.isTextual()) {
            return new Action.Wait(selector.textValue(), null, timeout);
        }
        if (text != null && text.isTextual()) {
            return new Action.Wait(null, text.textValue(), timeout);
        }
        throw new ActionFailure(400, "missing_argument", "wait needs a selector or a text");
    }

    private ToolResult extract(LoopRun run, JsonNode args) {
        String selector = target(run, args, false);
        String script = selector == null ? "document.body ? document.body.innerText : ''"
                : "(() => { const e = document.querySelector(" + Json.mapper().valueToTree(selector).toString()
                + "); return e ? (e.innerText || e.value || e.textContent || '') : null; })()";
        Action.Evaluate action = new Action.Evaluate(script, null);
        ObjectNode result = actions.run(run.page, action);
        JsonNode value = result.get("value");
        if (value == null || value.isNull()) {
            return ToolResult.failed("selector '" + selector + "' matched nothing");
        }
        run.state.replay.add(ActionJson.toJson(action));
        String text = conceal.apply(Clip.text(value.asText(), MAX_EXTRACT));
        String name = args.path("name").asText("");
        if (name.isBlank()) {
            name = "extract" + (run.state.extracted.size() + 1);
        }
        run.state.extracted.put(name, text);
        return ToolResult.ok(Clip.text(text, Clip.MAX_TOOL_RESULT), false);
    }

    private ToolResult done(AgentState state, JsonNode args) {
        JsonNode message = AgentTools.arg(args, "message");
        if (message == null || !message.isTextual()) {
            return correction(state, "done needs a message");
        }
        JsonNode output = AgentTools.arg(args, "output");
        if (output != null && output.toString().length() > MAX_OUTPUT_CHARS) {
            return correction(state, "the output is larger than " + MAX_OUTPUT_CHARS + " characters");
        }
        if (outputSchema != null) {
            if (output == null) {
                return correction(state, "done needs an output matching the output schema");
            }
            List<String> problems = outputSchema.validate(output);
            if (!problems.isEmpty()) {
                return correction(state, "the output does not match the output schema: "
                        + String.join("; ", problems));
            }
        }
        if (output == null && !state.extracted.isEmpty()) {
            output = Json.mapper().valueToTree(state.extracted);
        }
        state.message = conceal.apply(message.textValue());
        state.output = output == null ? null : secrets.conceal(output);
        return new ToolResult(true, "finished", false, AgentOutcome.completedRun(), null, null);
    }

    private ToolResult correction(AgentState state, String problem) {
        state.corrections++;
        if (state.corrections > settings.maxCorrections()) {
            AgentOutcome failed = AgentOutcome.failed(422, "invalid_output", "the agent's structured output was"
                    + " still invalid after " + settings.maxCorrections() + " corrections: " + problem);
            return new ToolResult(false, "error: " + problem, false, null, null, failed);
        }
        return ToolResult.failed(problem + "; call done again with a corrected answer");
    }

    private String describe(ObjectNode result, String urlBefore, String urlAfter) {
        ObjectNode shown = result.deepCopy();
        shown.remove("type");
        StringBuilder b = new StringBuilder("ok");
        if (!shown.isEmpty()) {
            b.append(' ').append(Clip.text(shown.toString(), 1000));
        }
        if (!urlAfter.equals(urlBefore)) {
            b.append("; the page is now ").append(urlAfter);
        }
        return conceal.apply(b.toString());
    }
}
