package dev.tabrunner.agent;

import dev.tabrunner.domain.Artifact;

/**
 * What the agent loop needs from the task around it. Implementations may throw any runtime exception out of
 * {@link #stepCompleted} and {@link #askHuman} to make the loop let go (stop, pause, yield, wait for a person):
 * the loop never catches those, and the state it handed over is where a later run resumes.
 */
public interface AgentHooks {
    /** Called after every step with the loop's whole resumable state: the checkpoint. */
    void stepCompleted(AgentState state);

    /** Stores a file the task produced (a step screenshot, a download) and returns its reference. */
    Artifact saveArtifact(String kind, String filename, String contentType, byte[] bytes);

    /**
     * The model asked a person something (the guardrail). Returns the person's answer when there is one;
     * otherwise records the question (it is in {@code state}) and throws, so the task waits without holding a
     * browser; the next run asks again and gets the answer.
     */
    String askHuman(String question, AgentState state);

    /** Called about five times a second while the loop waits for the model; throws to end the wait at once. */
    default void duringStep() {
    }

    /** Hides values only the host knows (a vault password an authenticate action used) in text. */
    default String redact(String text) {
        return text;
    }
}
