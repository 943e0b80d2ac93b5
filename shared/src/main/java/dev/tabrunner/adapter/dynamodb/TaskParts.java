package dev.tabrunner.adapter.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabrunner.domain.TaskRecord;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps a task row small. The row holds the task's state and a summary; the parts that grow with the task - its
 * request, results, network log, checkpoint and the agent's steps - stay in the row only while the whole document
 * is small ({@link #INLINE_LIMIT}), and move to the blob store beyond, the row holding a pointer
 * ({@code {"$part": key}}). A DynamoDB item can hold at most 400 KB, and every write is billed by its size, so a
 * heavy page (a 500-entry network log, 200 agent steps) must not sit in a row rewritten at every checkpoint.
 *
 * <p>A part's key is named by its content, so an unchanged part is not uploaded again (this process remembers what
 * it uploaded), a write that loses its condition leaves nothing pointing at a half-written part, and parts a newer
 * write no longer points at are deleted by the writer. Parts expire with the task's other blobs.
 */
final class TaskParts {
    private static final Logger LOG = LoggerFactory.getLogger(TaskParts.class);
    /** Documents up to this size stay whole in the row (a few KB for a typical scripted task). */
    static final int INLINE_LIMIT = 32 * 1024;
    static final String POINTER = "$part";
    /** The record's fields that may move out of the row, all of them JSON the row only carries. */
    static final List<String> PARTS = List.of("request", "results", "network", "checkpoint", "agent");
    private static final int REMEMBERED = 4_096;

    /** How long a replaced part stays readable for readers of the document that pointed at it. */
    private static final java.time.Duration REPLACED_GRACE = java.time.Duration.ofSeconds(30);
    private static final java.util.concurrent.ScheduledExecutorService DELETER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tabrunner-part-cleaner");
                t.setDaemon(true);
                return t;
            });

    private final BlobStore blobs;
    /** The parts the last document this process wrote for a task pointed at. */
    private final Map<String, List<String>> lastPointers = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
                    return size() > REMEMBERED;
                }
            });
    /** Keys this process has stored, so that an unchanged part is not stored again at the next checkpoint. */
    private final Set<String> stored = Collections.synchronizedSet(Collections.newSetFromMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));

    TaskParts(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** The document to store for the task, with its largest parts moved out while it is over the limit. */
    String write(TaskRecord task) {
        ObjectNode doc = Json.mapper().valueToTree(task);
        String whole = doc.toString();
        if (whole.length() <= INLINE_LIMIT) {
            return whole;
        }
        List<Map.Entry<String, String>> parts = new ArrayList<>();
        for (String name : PARTS) {
            JsonNode part = doc.get(name);
            if (part != null && !part.isNull()) {
                parts.add(Map.entry(name, part.toString()));
            }
        }
        parts.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getValue().length()).reversed());
        int size = whole.length();
        for (Map.Entry<String, String> part : parts) {
            if (size <= INLINE_LIMIT) {
                break;
            }
            String key = keyOf(task, part.getKey(), part.getValue());
            if (!stored.contains(key)) {
                blobs.put(key, part.getValue().getBytes(StandardCharsets.UTF_8), "application/json");
                stored.add(key);
            }
            ObjectNode pointer = Json.mapper().createObjectNode().put(POINTER, key);
            size += pointer.toString().length() - part.getValue().length();
            doc.set(part.getKey(), pointer);
        }
        return doc.toString();
    }

    /** The task a stored document describes, its parts read back; a part no longer stored reads as empty. */
    TaskRecord read(String document) {
        try {
            ObjectNode doc = (ObjectNode) Json.mapper().readTree(document);
            for (String name : PARTS) {
                JsonNode part = doc.get(name);
                if (part != null && part.has(POINTER)) {
                    doc.set(name, load(part.get(POINTER).asText(), name));
                }
            }
            return Json.mapper().treeToValue(doc, TaskRecord.class);
        } catch (JsonProcessingException e) {
            throw new dev.tabrunner.port.StoreUnavailableException("a stored task is unreadable", e);
        }
    }

    /** The part keys a stored document points at. */
    static List<String> pointers(String document) {
        List<String> keys = new ArrayList<>();
        try {
            JsonNode doc = Json.mapper().readTree(document);
            for (String name : PARTS) {
                JsonNode part = doc.path(name);
                if (part.has(POINTER)) {
                    keys.add(part.get(POINTER).asText());
                }
            }
        } catch (JsonProcessingException e) {
            // nothing to point at
        }
        return keys;
    }

    /**
     * Called after the task's document was written: the parts the previous document written by this process pointed
     * at, and this one does not, are deleted a little later - a reader that fetched the previous document a moment
     * ago may still be reading them. Best effort: an orphaned part expires with the task's blobs.
     */
    void written(String taskId, String document) {
        List<String> now = pointers(document);
        List<String> before = now.isEmpty() ? lastPointers.remove(taskId) : lastPointers.put(taskId, now);
        if (before == null) {
            return;
        }
        List<String> replaced = before.stream().filter(k -> !now.contains(k)).toList();
        if (replaced.isEmpty()) {
            return;
        }
        replaced.forEach(stored::remove);
        DELETER.schedule(() -> {
            for (String key : replaced) {
                try {
                    blobs.delete(key);
                } catch (RuntimeException e) {
                    LOG.debug("could not delete replaced part {}: {}", key, e.getMessage());
                }
            }
        }, REPLACED_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private JsonNode load(String key, String name) {
        return blobs.get(key).map(bytes -> {
            try {
                return Json.mapper().readTree(bytes);
            } catch (java.io.IOException e) {
                return null;
            }
        }).orElseGet(() -> {
            // expired with the task's other blobs, or lost: the task still reads, without this part
            LOG.warn("part {} of a task is no longer stored; reading the task without its {}", key, name);
            return empty(name);
        });
    }

    private static JsonNode empty(String name) {
        return switch (name) {
            case "results" -> Json.mapper().createArrayNode();
            case "request" -> Json.mapper().createObjectNode();
            default -> com.fasterxml.jackson.databind.node.NullNode.getInstance();
        };
    }

    private static String keyOf(TaskRecord task, String part, String json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return "tasks/" + task.tenantId() + "/" + task.id() + "/parts/" + part + "-"
                    + HexFormat.of().formatHex(digest, 0, 12) + ".json";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
