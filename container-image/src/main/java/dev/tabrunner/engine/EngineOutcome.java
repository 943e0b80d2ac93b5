package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tabrunner.domain.TaskError;

/**
 * What one run produced besides what its program kept itself (a scripted task's results, an agent's state).
 *
 * @param finalUrl     the page's URL at the end, or the spec's resume URL when the browser was lost first
 * @param storageState the browser state to persist, or null when the browser was lost and nothing can be saved
 * @param error        null when every step succeeded
 * @param interrupted  why the run ended before its last step, or null when it ran to its end (or failed)
 * @param network      the requests of the run, including the ones the egress guard refused
 */
public record EngineOutcome(String finalUrl, String storageState, TaskError error,
                            TaskInterrupted.Reason interrupted, ArrayNode network) {
}
