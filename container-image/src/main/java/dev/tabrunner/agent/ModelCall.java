package dev.tabrunner.agent;

import dev.tabrunner.llm.ChatRequest;
import dev.tabrunner.llm.ChatResponse;
import dev.tabrunner.llm.LanguageModel;
import dev.tabrunner.llm.LanguageModelException;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One model turn, called on a helper thread while the hooks are watched, so that a stop request ends the task
 * within a moment even while a slow model is thinking; the abandoned answer is dropped.
 */
final class ModelCall {
    private static final ExecutorService MODEL_CALLS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tabrunner-model-call");
        t.setDaemon(true);
        return t;
    });

    private final LanguageModel model;
    private final AgentHooks hooks;

    ModelCall(LanguageModel model, AgentHooks hooks) {
        this.model = model;
        this.hooks = hooks;
    }

    /**
     * @throws LanguageModelException when the model failed or refused
     * @throws RuntimeException       whatever {@link AgentHooks#duringStep()} throws to end the wait
     */
    ChatResponse ask(ChatRequest chat) {
        Future<ChatResponse> call = MODEL_CALLS.submit(() -> model.chat(chat));
        try {
            while (true) {
                try {
                    return call.get(200, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    hooks.duringStep();
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new LanguageModelException("the model call failed: " + e.getCause(), 0, false, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LanguageModelException("interrupted while waiting for the model", 0, true, e);
        } finally {
            call.cancel(true);
        }
    }

    /** How a failed model call ends the task: unavailable (a retry may work) or refused. */
    static AgentOutcome failure(LanguageModelException e) {
        return e.retryable()
                ? AgentOutcome.failed(503, "model_unavailable", "the language model is unavailable: "
                + e.getMessage())
                : AgentOutcome.failed(502, "model_error", "the language model refused the request: "
                + e.getMessage());
    }
}
