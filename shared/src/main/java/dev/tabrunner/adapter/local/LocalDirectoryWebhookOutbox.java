package dev.tabrunner.adapter.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tabrunner.domain.WebhookDelivery;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.StoreUnavailableException;
import dev.tabrunner.port.WebhookOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The local server's outbox: one JSON file per waiting delivery, named by when it is due, so that a restart loses
 * none and the delivery thread reads the due ones in order. Files are written whole and then moved into place.
 */
public final class LocalDirectoryWebhookOutbox implements WebhookOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(LocalDirectoryWebhookOutbox.class);
    private static final String SUFFIX = ".json";

    private final Path dir;

    public LocalDirectoryWebhookOutbox(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("could not create the webhook outbox " + dir, e);
        }
    }

    /** A waiting delivery and the file that holds it. */
    public record Waiting(WebhookDelivery delivery, Path file) {
    }

    @Override
    public void enqueue(WebhookDelivery d) {
        // zero-padded due time first: the names sort as the due times do
        String name = String.format("%016d-%s-%d%s", d.notBefore().toEpochMilli(), d.id(), d.attempt(), SUFFIX);
        try {
            Path tmp = Files.createTempFile(dir, ".delivery", ".tmp");
            Files.writeString(tmp, Json.mapper().writeValueAsString(d), StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StoreUnavailableException("could not keep webhook delivery " + d.id(), e);
        }
    }

    /** The deliveries due at {@code now}, soonest first, at most {@code limit}. */
    public List<Waiting> due(Instant now, int limit) {
        List<Waiting> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sorted = files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
            for (Path p : sorted) {
                if (out.size() >= limit || dueAt(p) > now.toEpochMilli()) {
                    break;
                }
                try {
                    out.add(new Waiting(Json.mapper().readValue(Files.readString(p, StandardCharsets.UTF_8),
                            WebhookDelivery.class), p));
                } catch (JsonProcessingException e) {
                    LOG.warn("dropping unreadable webhook delivery {}", p.getFileName());
                    remove(p);
                }
            }
        } catch (IOException e) {
            throw new StoreUnavailableException("could not read the webhook outbox", e);
        }
        return out;
    }

    /** Takes a delivery out (sent, given up, or replaced by its next attempt). */
    public void remove(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StoreUnavailableException("could not remove " + file.getFileName(), e);
        }
    }

    private static long dueAt(Path p) {
        String name = p.getFileName().toString();
        try {
            return Long.parseLong(name.substring(0, name.indexOf('-')));
        } catch (RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }
}
