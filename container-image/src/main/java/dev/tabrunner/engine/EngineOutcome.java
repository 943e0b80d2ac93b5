package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tabrunner.domain.TaskError;

/**
 * What one run produced.
 *
 * @param storageState the browser state to persist, or null when the browser was lost and nothing can be saved
 * @param error        null when every step succeeded
 * @param interrupted  why the run ended before its last step, or null when it ran to its end (or failed)
 * @param network      the requests of the run, including the ones the egress guard refused
 */
public record EngineOutcome(ArrayNode results, String finalUrl, String storageState, TaskError error,
                            TaskInterrupted.Reason interrupted, ArrayNode network) {
}
