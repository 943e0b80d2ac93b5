package dev.tabrunner.agent;

import dev.tabrunner.domain.Artifact;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Hooks for the loop's tests: keeps artifacts and checkpoints in memory, answers questions from a script. */
final class RecordingHooks implements AgentHooks {
    /** Thrown to let go of the task while a person is asked, as a worker does. */
    static final class WaitingForPerson extends RuntimeException {
        WaitingForPerson(String question) {
            super(question);
        }
    }

    final List<Artifact> artifacts = new ArrayList<>();
    final Map<String, byte[]> bytes = new ConcurrentHashMap<>();
    final List<String> checkpoints = new ArrayList<>();
    final List<String> questions = new ArrayList<>();
    String answer;

    @Override
    public void stepCompleted(AgentState state) {
        checkpoints.add(state.checkpointJson().toString() + state.progressJson().toString());
    }

    @Override
    public Artifact saveArtifact(String kind, String filename, String contentType, byte[] data) {
        Artifact a = new Artifact(UUID.randomUUID().toString(), kind, filename, contentType, data.length,
                "mem/" + filename);
        artifacts.add(a);
        bytes.put(a.id(), data);
        return a;
    }

    @Override
    public String askHuman(String question, AgentState state) {
        questions.add(question);
        if (answer == null) {
            throw new WaitingForPerson(question);
        }
        return answer;
    }
}
