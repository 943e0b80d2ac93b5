package dev.tabrunner.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.ScreenshotType;
import dev.tabrunner.action.Action;
import dev.tabrunner.action.ActionJson;
import dev.tabrunner.action.AgentArtifacts;
import dev.tabrunner.action.AgentTaskRequest;
import dev.tabrunner.action.WaitUntil;
import dev.tabrunner.domain.TaskSecrets;
import dev.tabrunner.engine.ActionFailure;
import dev.tabrunner.json.Json;
import dev.tabrunner.llm.ChatMessage;
import dev.tabrunner.llm.ChatRequest;
import dev.tabrunner.llm.ChatResponse;
import dev.tabrunner.llm.LanguageModel;
import dev.tabrunner.llm.LanguageModelException;
import dev.tabrunner.llm.ModelInfo;
import dev.tabrunner.llm.ToolCall;
import dev.tabrunner.llm.ToolSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent: observe the page, ask the model for the next action(s), run them through the same {@link ActionRunner}
 * as scripted tasks, record the step, checkpoint; until the model calls {@code done}, asks a person, or a limit
 * ends the task. The loop is resumable: everything it needs is in the {@link AgentState} it is given, so a run
 * interrupted anywhere after a checkpoint continues in another worker from that checkpoint.
 *
 * <p>The loop orchestrates; what is sent to the model is {@link Prompts}', what it remembers {@link AgentMemory}'s,
 * the call itself {@link ModelCall}'s, its tool calls {@link ToolDispatch}'s and the page's downloads
 * {@link Downloads}'.
 */
public final class AgentLoop {
    private static final Logger LOG = LoggerFactory.getLogger(AgentLoop.class);
    /** Bound of what the step log keeps of a tool call's arguments and result. */
    private static final int MAX_LOGGED = 200;

    private final AgentTaskRequest request;
    private final TaskSecrets secrets;
    private final ModelInfo modelInfo;
    private final String providerModelId;
    private final ActionRunner actions;
    private final AgentHooks hooks;
    private final Clock clock;
    private final AgentSettings settings;
    private final PageObserver observer;
    private final List<ToolSpec> tools;
    private final Prompts prompts;
    private final AgentMemory memory;
    private final ModelCall model;
    private final ToolDispatch toolCalls;

    /**
     * @param providerModelId the id the provider knows the model by (see {@code ModelRouter.Route})
     */
    public AgentLoop(AgentTaskRequest request, TaskSecrets secrets, LanguageModel model, ModelInfo modelInfo,
                     String providerModelId, ActionRunner actions, AgentHooks hooks, Clock clock,
                     AgentSettings settings) {
        this.request = request;
        this.secrets = secrets;
        this.modelInfo = modelInfo;
        this.providerModelId = providerModelId;
        this.actions = actions;
        this.hooks = hooks;
        this.clock = clock;
        this.settings = settings;
        this.observer = new PageObserver(settings.maxElements(), settings.maxPageText());
        this.tools = AgentTools.forRequest(request);
        this.prompts = new Prompts(request, secrets, modelInfo, this::conceal);
        this.memory = new AgentMemory(secrets, settings, clock, this::conceal);
        this.model = new ModelCall(model, hooks);
        this.toolCalls = new ToolDispatch(request, secrets, actions, settings, this::conceal);
    }

    /**
     * Runs the task from {@code state} until it completes or fails. Exceptions thrown by the hooks (stop, pause,
     * yield, waiting for a person) pass through unchanged, with {@code state} as of the last checkpoint plus
     * whatever the interrupted step did.
     */
    public AgentOutcome run(Page page, AgentState state) {
        Downloads downloads = new Downloads(page, hooks, clock, this::conceal);
        LoopRun run = new LoopRun(page, state, downloads, clock);
        try {
            AgentOutcome outcome = loop(run);
            downloads.keep(state);
            if (request.artifacts().finalScreenshot() != null) {
                finalScreenshot(run.page, request.artifacts().finalScreenshot().fullPage());
            }
            return outcome;
        } finally {
            state.activeMillis = run.activeMillis();
            downloads.stop();
        }
    }

    private AgentOutcome loop(LoopRun run) {
        AgentState state = run.state;
        if (!state.started) {
            AgentOutcome failed = start(run);
            if (failed != null) {
                return failed;
            }
        }
        if (state.pending != null) {
            memory.answer(state, hooks.askHuman(state.pending.question(), state));
        }
        while (true) {
            if (state.stepsTaken >= request.maxSteps()) {
                return AgentOutcome.failed(422, "step_limit", "the agent took maxSteps (" + request.maxSteps()
                        + ") steps without finishing the task");
            }
            if (run.activeMillis() >= request.maxDurationMs()) {
                return AgentOutcome.failed(408, "max_duration", "the task ran for maxDuration ("
                        + request.maxDurationMs() + " ms) without finishing");
            }
            if (state.completionTokens >= request.maxOutputTokens()) {
                return truncated(state, null);
            }
            AgentOutcome end = step(run);
            if (end != null) {
                return end;
            }
        }
    }

    /** Opens the starting URL; a task without one starts where the session is, which the replay list records. */
    private AgentOutcome start(LoopRun run) {
        AgentState state = run.state;
        if (request.startingUrl() != null) {
            Action.Navigate go = new Action.Navigate(request.startingUrl(), WaitUntil.LOAD, null);
            try {
                actions.run(run.page, go);
            } catch (ActionFailure f) {
                return AgentOutcome.failed(f.status(), f.code(), conceal(f.getMessage()));
            }
            state.replay.add(ActionJson.toJson(go));
        } else {
            String url = run.page.url();
            if (url != null && (url.startsWith("http://") || url.startsWith("https://"))) {
                // so that the replay list runs on its own, in any session
                state.replay.add(ActionJson.toJson(new Action.Navigate(conceal(url), WaitUntil.LOAD, null)));
            }
        }
        state.started = true;
        return null;
    }

    /** One model turn and its actions; returns the outcome when the task ended. */
    private AgentOutcome step(LoopRun run) {
        AgentState state = run.state;
        int number = state.stepsTaken + 1;
        Instant began = clock.instant();
        String urlBefore;
        try {
            run.observation = observer.observe(run.page);
            urlBefore = run.page.url();
        } catch (PlaywrightException e) {
            return browserGone(e);
        }
        byte[] screenshot = request.browsing().highlightElements()
                ? ElementHighlighter.withHighlights(run.page, run.observation, () -> screenshot(run.page))
                : screenshot(run.page);
        String screenshotId = screenshot == null ? null
                : hooks.saveArtifact("step-screenshot", "step-" + number + ".jpg", "image/jpeg", screenshot).id();

        List<ChatMessage> messages = prompts.messages(state, run.observation, number, screenshot);
        long estimate = Prompts.estimateTokens(messages, screenshot != null && modelInfo.vision());
        if (state.promptTokens + estimate > request.maxInputTokens()) {
            return inputLimit(state, state.promptTokens + estimate, true);
        }
        long remainingOutput = request.maxOutputTokens() - state.completionTokens;
        int maxTokens = (int) Math.min(settings.maxTokensPerCall(), remainingOutput);
        long remainingTime = request.maxDurationMs() - run.activeMillis();
        Duration timeout = Duration.ofMillis(Math.max(1_000, Math.min(settings.modelTimeout().toMillis(),
                remainingTime)));
        ChatResponse response;
        try {
            response = model.ask(new ChatRequest(providerModelId, messages, tools, true, maxTokens, 0.0, timeout));
        } catch (LanguageModelException e) {
            LOG.warn("model call failed: {}", e.getMessage());
            return ModelCall.failure(e);
        }
        state.promptTokens += response.inputTokens();
        state.completionTokens += response.outputTokens();
        state.cost = state.cost.add(modelInfo.cost(response.inputTokens(), response.outputTokens()));
        if (state.promptTokens > request.maxInputTokens()) {
            return inputLimit(state, state.promptTokens, false);
        }
        String reasoning = conceal(response.text());
        boolean cut = response.stopReason() == ChatResponse.StopReason.MAX_TOKENS;
        if (cut && state.completionTokens >= request.maxOutputTokens() && !hasValidDone(response)) {
            memory.recordStep(state, number, began, urlBefore, run.page.url(), reasoning,
                    Json.mapper().createArrayNode(), screenshotId, response);
            state.stepsTaken = number;
            return truncated(state, reasoning);
        }

        List<String> results = new ArrayList<>();
        ArrayNode actionLog = Json.mapper().createArrayNode();
        boolean anySucceeded = false;
        boolean skipRest = false;
        AgentOutcome end = null;
        String question = null;
        String questionCallId = null;
        for (ToolCall call : response.toolCalls()) {
            ObjectNode entry = actionLog.addObject().put("tool", call.name());
            entry.set("arguments", Clip.strings(secrets.conceal(call.arguments()), MAX_LOGGED));
            if (skipRest || end != null || question != null) {
                results.add(entry.put("result", "skipped: look at the new page state first").get("result")
                        .asText());
                continue;
            }
            ToolResult r;
            try {
                r = toolCalls.execute(run, call);
            } catch (ActionFailure f) {
                if (f.status() == 503) {
                    return AgentOutcome.failed(503, f.code(), conceal(f.getMessage()));
                }
                r = ToolResult.failed(f.code() + ": " + conceal(f.getMessage()));
            }
            if (r.fatal() != null) {
                return r.fatal();
            }
            entry.put("result", Clip.text(r.text(), MAX_LOGGED));
            if (!r.ok()) {
                entry.put("error", true);
            }
            results.add(r.text());
            anySucceeded |= r.ok();
            skipRest = r.pageChanged();
            if (r.end() != null) {
                end = r.end();
            }
            if (r.question() != null) {
                question = r.question();
                questionCallId = call.id();
            }
        }
        if (response.toolCalls().isEmpty()) {
            results.add("");
        }
        String urlAfter;
        try {
            urlAfter = run.page.url();
        } catch (PlaywrightException e) {
            urlAfter = urlBefore;
        }
        memory.recordStep(state, number, began, urlBefore, urlAfter, reasoning, actionLog, screenshotId, response);
        memory.remember(state, number, reasoning, response, results, cut);
        state.stepsTaken = number;
        state.failedSteps = anySucceeded ? 0 : state.failedSteps + 1;
        run.downloads.keep(state);
        state.activeMillis = run.activeMillis();
        if (end != null) {
            return end;
        }
        if (state.failedSteps >= settings.maxFailedSteps()) {
            return AgentOutcome.failed(422, "agent_stuck", "the agent's last " + state.failedSteps
                    + " steps all failed; giving up");
        }
        if (question != null) {
            state.pending = new AgentState.PendingQuestion(number, questionCallId, question);
        }
        hooks.stepCompleted(state);
        if (question != null) {
            memory.answer(state, hooks.askHuman(question, state));
        }
        return null;
    }

    private boolean hasValidDone(ChatResponse response) {
        return response.toolCalls().stream().anyMatch(c -> c.name().equals(AgentTools.DONE)
                && c.arguments().isObject() && c.arguments().path("message").isTextual());
    }

    private AgentOutcome inputLimit(AgentState state, long tokens, boolean before) {
        return AgentOutcome.failed(422, "max_input_tokens", (before ? "the next step would take the task to about "
                : "the task used ") + tokens + " input tokens, over maxInputTokens (" + request.maxInputTokens()
                + ")");
    }

    /** The output budget is spent: the task ends with what the model said so far, marked truncated. */
    private AgentOutcome truncated(AgentState state, String partial) {
        String last = partial;
        if (last == null || last.isBlank()) {
            for (int i = state.memory.size() - 1; i >= 0 && (last == null || last.isBlank()); i--) {
                last = state.memory.get(i).text();
            }
        }
        state.message = (last == null ? "" : last) + " [truncated: maxOutputTokens (" + request.maxOutputTokens()
                + ") reached]";
        state.truncated = true;
        if (state.output == null && !state.extracted.isEmpty()) {
            state.output = Json.mapper().valueToTree(state.extracted);
        }
        return AgentOutcome.completedRun();
    }

    private AgentOutcome browserGone(PlaywrightException e) {
        return AgentOutcome.failed(503, "browser_unavailable", "the browser became unreachable ("
                + conceal(firstLine(e.getMessage())) + ")");
    }

    private byte[] screenshot(Page page) {
        try {
            return page.screenshot(new Page.ScreenshotOptions().setType(ScreenshotType.JPEG).setQuality(60));
        } catch (PlaywrightException e) {
            LOG.debug("no step screenshot: {}", e.getMessage());
            return null;
        }
    }

    /**
     * The page as the run leaves it, a PNG kept as the task's {@code final.png}: after a failure too, which is when
     * it is most useful. A page that is gone leaves no file.
     */
    private void finalScreenshot(Page page, boolean fullPage) {
        byte[] png;
        try {
            png = page.screenshot(new Page.ScreenshotOptions().setType(ScreenshotType.PNG).setFullPage(fullPage));
        } catch (PlaywrightException e) {
            LOG.info("no final screenshot: {}", firstLine(e.getMessage()));
            return;
        }
        hooks.saveArtifact(AgentArtifacts.FINAL_SCREENSHOT_KIND, AgentArtifacts.FINAL_SCREENSHOT_NAME, "image/png",
                png);
    }

    private String conceal(String text) {
        return text == null ? null : hooks.redact(secrets.conceal(text));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
