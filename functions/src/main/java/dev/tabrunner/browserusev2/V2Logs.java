package dev.tabrunner.browserusev2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.TaskRecord;

/** A task's log as {@code GET /tasks/{id}/logs} links to it: plain text a person reads. */
final class V2Logs {
    private V2Logs() {
    }

    static String text(TaskRecord t) {
        StringBuilder b = new StringBuilder();
        V2TaskData data = V2TaskData.of(t);
        b.append("task ").append(t.id()).append(" in session ").append(t.sessionId()).append('\n');
        b.append("created ").append(t.createdAt()).append(", model ").append(data.llm()).append('\n');
        b.append("task: ").append(data.task()).append("\n\n");
        JsonNode steps = t.agent() == null ? null : t.agent().path("steps");
        if (steps != null) {
            for (JsonNode s : steps) {
                b.append("step ").append(s.path("step").asInt()).append(" at ").append(s.path("url").asText(""))
                        .append('\n');
                b.append("  ").append(s.path("reasoning").asText("").replace("\n", "\n  ")).append('\n');
                for (JsonNode a : s.path("actions")) {
                    b.append("  - ").append(a).append('\n');
                }
            }
        }
        b.append("\nstatus: ").append(V2Views.status(t));
        if (t.status().isTerminal()) {
            b.append(" (").append(t.status().nativeName()).append(") at ").append(t.finishedAt());
        }
        b.append('\n');
        if (t.error() != null) {
            b.append("error: ").append(t.error().message()).append('\n');
        }
        String output = V2Views.output(t);
        if (output != null) {
            b.append("output: ").append(output).append('\n');
        }
        return b.toString();
    }
}
