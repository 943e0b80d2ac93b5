package dev.tabrunner.engine;

import java.util.List;

/**
 * How a run is recorded (ADR 0042): rrweb in the task's page, its events kept as the task's {@code recording}
 * artifact.
 *
 * @param maxBytes the most the run's events may hold; past it the recording stops and is marked truncated, and the
 *                 task goes on
 * @param secrets  values the run may type that the engine does not learn by itself (an agent task's {@code secrets});
 *                 when there are any, every input field of the page is masked in the recording, and any form of them
 *                 is redacted from it, as a vault password the run fills is
 */
public record RecordingSpec(long maxBytes, List<String> secrets) {
    public RecordingSpec {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        secrets = List.copyOf(secrets);
    }
}
