package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Page;
import dev.tabrunner.action.Action;
import dev.tabrunner.action.TaskRequest;
import dev.tabrunner.domain.TaskError;

import java.util.List;

/**
 * A scripted task (seed 000) as a program: open its {@code url}, run its actions from the first one not done yet
 * with a checkpoint after each but the last, then keep the outputs it asked for (screenshot, PDF, HTML) of the last
 * page. The task's end writes the results once more anyway, so the last action has no checkpoint of its own: a
 * worker lost between it and the end repeats it when the task is resumed, as it would an action under way.
 */
public final class ScriptedProgram implements PageProgram {
    private final TaskRequest request;
    private final ArrayNode results;
    private final int start;
    private final EngineListener listener;
    private final TaskControl control;
    private final PageOutputs outputs;

    /**
     * @param done            results of the actions an earlier run of this task completed (empty for a fresh run);
     *                        the run continues with the action after them
     * @param listener        told after each action but the last ({@link EngineListener#actionCompleted}), and
     *                        keeps the outputs
     * @param control         asked between actions whether the run may go on
     * @param actionTimeoutMs how long an output's selector may take to appear
     */
    public ScriptedProgram(TaskRequest request, ArrayNode done, EngineListener listener, TaskControl control,
                           long actionTimeoutMs) {
        this.request = request;
        this.results = done.deepCopy();
        this.start = done.size();
        this.listener = listener;
        this.control = control;
        this.outputs = new PageOutputs(actionTimeoutMs);
    }

    /** True when this run begins by navigating, so the session's last page need not be reopened first. */
    public boolean navigatesFirst() {
        List<Action> actions = request.actions();
        return start == 0 ? request.startsWithNavigation()
                : start < actions.size() && actions.get(start) instanceof Action.Navigate;
    }

    /** The results of every completed action, the earlier runs' included; as far as the run got when it ended. */
    public ArrayNode results() {
        return results;
    }

    @Override
    public TaskError run(Page page, PageActions actions) {
        if (request.url() != null && start == 0) {
            actions.run(page, new Action.Navigate(request.url(), request.waitUntil(), null), -1);
        }
        List<Action> list = request.actions();
        for (int index = start; index < list.size(); index++) {
            control.betweenActions();
            Action action = list.get(index);
            ObjectNode result;
            try {
                result = actions.run(page, action, index);
            } catch (ActionFailure f) {
                throw f.at(index, action.type());
            }
            results.add(result);
            if (index < list.size() - 1) {
                listener.actionCompleted(results.deepCopy(), actions.redact(page.url()));
            }
        }
        outputs.save(page, request, listener, actions::redact);
        return null;
    }
}
