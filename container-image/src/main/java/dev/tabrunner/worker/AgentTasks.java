package dev.tabrunner.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.action.AgentTaskRequest;
import dev.tabrunner.action.AgentTaskRequestParser;
import dev.tabrunner.action.InvalidRequestException;
import dev.tabrunner.agent.AgentSettings;
import dev.tabrunner.agent.AgentState;
import dev.tabrunner.domain.BrowserProfile;
import dev.tabrunner.domain.TaskError;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.domain.TaskSecrets;
import dev.tabrunner.llm.LanguageModel;
import dev.tabrunner.llm.LanguageModels;
import dev.tabrunner.llm.ModelRouter;
import dev.tabrunner.port.StoreUnavailableException;
import dev.tabrunner.port.WorkerEnvironment;
import dev.tabrunner.json.Json;
import dev.tabrunner.service.TaskEnds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * What the worker needs to run natural-language tasks: the language models its host gave it, the task's secrets
 * from the vault, and its state from the last checkpoint.
 */
final class AgentTasks {
    private static final Logger LOG = LoggerFactory.getLogger(AgentTasks.class);

    private final WorkerEnvironment env;
    private final LanguageModels models;
    private final ModelRouter router;
    private final TaskEnds ends;
    private final AgentSettings settings;

    AgentTasks(WorkerEnvironment env, TaskEnds ends) {
        this.env = env;
        this.models = env.models();
        this.router = models.router();
        this.ends = ends;
        AgentSettings d = AgentSettings.DEFAULTS;
        this.settings = new AgentSettings(d.maxTokensPerCall(), d.memorySteps(), d.maxSummaryLines(),
                d.maxElements(), d.maxPageText(), d.maxCorrections(), d.maxFailedSteps(),
                router.settings().timeout());
    }

    /** Everything a run of one agent task starts from. */
    record Prepared(AgentTaskRequest request, TaskSecrets secrets, ModelRouter.Route route, LanguageModel model,
                    AgentState state, AgentSettings settings) {
    }

    Prepared prepare(TaskRecord task) {
        AgentTaskRequest request;
        try {
            request = AgentTaskRequestParser.parseStored(task.request());
        } catch (InvalidRequestException e) {
            throw new CannotRun(TaskError.of(400, "invalid_request", e.getMessage()));
        }
        if (!router.configured()) {
            throw new CannotRun(TaskError.of(501, "llm_not_configured", "no language model provider is"
                    + " configured on this worker (TABRUNNER_LLM_BASE_URL or TABRUNNER_LLM_PROVIDER=bedrock)"));
        }
        ModelRouter.Route route;
        try {
            route = router.route(request.model());
        } catch (InvalidRequestException e) {
            throw new CannotRun(TaskError.of(400, "invalid_model", e.getMessage()));
        }
        TaskSecrets taskSecrets = ends.open(task.tenantId(), task.id());
        if (!taskSecrets.names().containsAll(request.secretNames())) {
            throw new CannotRun(TaskError.of(500, "secrets_missing", "the task's secrets are no longer in the"
                    + " vault"));
        }
        AgentState state = AgentState.restore(task.checkpoint(), task.agent());
        return new Prepared(request, taskSecrets, route, models.client(route), state, settings);
    }

    /**
     * Saves the browser of a task that ended into its profile, when it asked to: the whole storage state becomes
     * the profile's (what the next task started from it gets), and its cookies are kept with the task for the
     * task's own view. Nothing is saved when the browser's state could not be read (the browser died).
     */
    void saveProfile(TaskRecord task, BrowserProfile profile, String storageState) {
        if (profile == null || !profile.save()) {
            return;
        }
        if (storageState == null) {
            LOG.info("task {} ended without a browser state; profile {} is left as it was", task.id(), profile.id());
            return;
        }
        JsonNode cookies;
        try {
            cookies = Json.mapper().readTree(storageState).path("cookies");
        } catch (JsonProcessingException e) {
            LOG.warn("task {}: the browser's state is not JSON; profile {} is left as it was", task.id(),
                    profile.id());
            return;
        }
        ObjectNode data = Json.mapper().createObjectNode();
        data.set("cookies", cookies.isArray() ? cookies : Json.mapper().createArrayNode());
        try {
            env.blobs().put(BrowserProfile.stateKey(task.tenantId(), profile.id()),
                    storageState.getBytes(StandardCharsets.UTF_8), "application/json");
            env.blobs().put(BrowserProfile.taskDataKey(task.tenantId(), task.id()),
                    data.toString().getBytes(StandardCharsets.UTF_8), "application/json");
        } catch (StoreUnavailableException e) {
            // the task still ends; only its browser data is lost
            LOG.warn("task {} could not save into profile {}: {}", task.id(), profile.id(), e.getMessage());
            return;
        }
        // the count only: cookie values are credentials
        LOG.info("task {} saved {} cookie(s) into profile {}", task.id(), data.get("cookies").size(), profile.id());
    }
}
