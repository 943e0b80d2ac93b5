package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tabrunner.domain.Artifact;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/** The listener of a run outside any task: nothing is checkpointed or stored, no file or credential exists. */
final class DiscardingListener implements EngineListener {
    @Override
    public void actionCompleted(ArrayNode resultsSoFar, String url) {
    }

    @Override
    public Artifact saveArtifact(String kind, String filename, String contentType, byte[] bytes) {
        return new Artifact(UUID.randomUUID().toString(), kind, filename, contentType, bytes.length, "discarded");
    }

    @Override
    public Optional<UploadedBytes> uploadedFile(String name) {
        return Optional.empty();
    }

    @Override
    public Optional<ResolvedCredential> credential(String credentialId) {
        return Optional.empty();
    }

    @Override
    public LiveSession openLiveView(Duration pause) {
        throw new UnsupportedOperationException("no live view outside a task");
    }
}
