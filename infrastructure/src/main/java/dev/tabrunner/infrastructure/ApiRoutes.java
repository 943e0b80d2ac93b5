package dev.tabrunner.infrastructure;

import java.util.List;
import java.util.Map;

/** The HTTP API's routes, by the function that serves them: the contract with the API module's controllers. */
final class ApiRoutes {
    private ApiRoutes() {
    }

    /** Routes of the HTTP API, by the function that serves them. */
    static final Map<String, List<String>> ROUTES = Map.of(
            ApiStack.FunctionRole.SESSIONS.id, List.of(
                    "POST /browser/sessions",
                    "GET /browser/sessions",
                    "GET /browser/sessions/{sessionId}",
                    "DELETE /browser/sessions/{sessionId}",
                    "POST /browser/sessions/{sessionId}/files",
                    "GET /browser/sessions/{sessionId}/files",
                    // environments: browser state and files kept in the bucket, file rows in the files table
                    "POST /browser/environments",
                    "GET /browser/environments",
                    "GET /browser/environments/{environmentId}",
                    "DELETE /browser/environments/{environmentId}",
                    "POST /admin/api-keys",
                    "GET /admin/api-keys",
                    "DELETE /admin/api-keys/{id}",
                    "POST /admin/webhooks",
                    "GET /admin/webhooks",
                    "DELETE /admin/webhooks/{id}",
                    // the tenant's tasks of every dialect (the dashboard's list)
                    "GET /browser/tasks",
                    "GET /health",
                    // the API reference and the dashboard: static pages, no key
                    "GET /openapi.json",
                    "GET /openapi.yaml",
                    "GET /docs",
                    "GET /docs/assets/{name}",
                    "GET /ui",
                    "GET /ui/{name}"),
            ApiStack.FunctionRole.TASKS.id, List.of(
                    "POST /browser/sessions/{sessionId}/tasks",
                    "GET /browser/sessions/{sessionId}/tasks",
                    "GET /browser/sessions/{sessionId}/tasks/{taskId}",
                    // seed 001's way to add a task to a session
                    "POST /browser/sessions/{sessionId}/send-message",
                    // stop, pause, resume, respond
                    "POST /browser/sessions/{sessionId}/tasks/{taskId}/{action}",
                    "GET /browser/sessions/{sessionId}/tasks/{taskId}/artifacts/{artifactId}",
                    // a recorded task's recording, and its replay page (token-guarded, no API key; ADR 0042)
                    "GET /browser/sessions/{sessionId}/tasks/{taskId}/recording",
                    "GET /replay/{taskId}",
                    "GET /replay/{taskId}/{name}",
                    "POST /browser/sessions/{sessionId}/pdf",
                    "POST /browser/run-task",
                    "GET /live/{taskId}",
                    "GET /live/{taskId}/frame",
                    "GET /live/{taskId}/frames",
                    "GET /live/{taskId}/status",
                    "POST /live/{taskId}/input",
                    // an idle session's live view is a task of the session; CDP connect answers 501 on AWS
                    "POST /browser/sessions/{sessionId}/live-view",
                    "POST /browser/sessions/{sessionId}/connect",
                    // the browser-use v1 dialect
                    "ANY /api/v1/{proxy+}",
                    // the browsing dialect (seed 003); its sync endpoint is best called on the function URL
                    "ANY /api/v1/browsing/{proxy+}",
                    // the browser-use v2 dialect, as the official SDK calls it
                    "ANY /api/v2/{proxy+}",
                    // browser-use v1 public share pages (token-guarded, no API key)
                    "GET /share/{taskId}",
                    "GET /share/{taskId}/{proxy+}"),
            ApiStack.FunctionRole.CREDENTIALS.id, List.of(
                    "POST /browser/credentials",
                    "GET /browser/credentials",
                    "GET /browser/credentials/{id}",
                    "PUT /browser/credentials/{id}",
                    "PATCH /browser/credentials/{id}",
                    "DELETE /browser/credentials/{id}"));

}
