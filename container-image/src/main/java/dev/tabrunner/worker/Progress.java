package dev.tabrunner.worker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tabrunner.domain.Artifact;
import dev.tabrunner.domain.TaskRecord;

import java.util.ArrayList;
import java.util.List;

/** What the running task has produced so far: what its next write (checkpoint, hold or end) stores. */
final class Progress {
    ArrayNode results;
    ArrayNode network;
    /** The key of the session's browser state this run saved, or null when it saved none. */
    String stateKey;
    /** The version the session's state is saved under by this run (its warm context is kept under it). */
    String stateVersion;
    final List<Artifact> artifacts;

    Progress(TaskRecord claimed) {
        this.results = claimed.results();
        this.network = claimed.network();
        this.artifacts = new ArrayList<>(claimed.artifacts());
    }

    /** The artifacts so far, as a snapshot another thread may write. */
    List<Artifact> artifacts() {
        return List.copyOf(artifacts);
    }
}
