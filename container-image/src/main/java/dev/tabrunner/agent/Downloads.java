package dev.tabrunner.agent;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import dev.tabrunner.domain.Artifact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The files the page downloads while the agent runs: kept as the task's files (artifacts, listed in its state)
 * after every step, under generated keys with the page's name for them, made safe, as their filename. A download
 * that failed or is larger than {@value #MAX_BYTES} bytes is left out.
 */
final class Downloads {
    private static final Logger LOG = LoggerFactory.getLogger(Downloads.class);
    private static final long MAX_BYTES = 50L * 1024 * 1024;

    private final Page page;
    private final AgentHooks hooks;
    private final Clock clock;
    private final UnaryOperator<String> conceal;
    private final List<Download> pending = new ArrayList<>();
    private final Consumer<Download> listener = pending::add;

    /** Starts collecting the page's downloads. */
    Downloads(Page page, AgentHooks hooks, Clock clock, UnaryOperator<String> conceal) {
        this.page = page;
        this.hooks = hooks;
        this.clock = clock;
        this.conceal = conceal;
        page.onDownload(listener);
    }

    /** Keeps the downloads finished since the last call as files of the task. */
    void keep(AgentState state) {
        for (Download d : pending) {
            try {
                if (d.failure() != null) {
                    continue;
                }
                Path path = d.path();
                if (path == null || Files.size(path) > MAX_BYTES) {
                    continue;
                }
                String name = Artifact.safeFilename(d.suggestedFilename());
                Artifact a = hooks.saveArtifact("download", name, "application/octet-stream",
                        Files.readAllBytes(path));
                state.files.addObject().put("source", conceal.apply(d.url())).put("artifactId", a.id())
                        .put("filename", name).put("timestamp", clock.millis());
            } catch (IOException | PlaywrightException e) {
                LOG.info("a download could not be kept: {}", e.getMessage());
            }
        }
        pending.clear();
    }

    /** Stops collecting; the page may be gone already. */
    void stop() {
        try {
            page.offDownload(listener);
        } catch (PlaywrightException e) {
            LOG.debug("page gone while detaching listeners: {}", e.getMessage());
        }
    }
}
