package dev.tabrunner.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.Page;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Newest-first pages for the in-memory stores, paged the way the DynamoDB adapters page: a cursor names the last
 * item of its page and the partition (tenant, session) it was issued for, and a full page always carries one, even
 * when nothing follows (DynamoDB returns a last key whenever the limit stops the query).
 */
final class NewestFirstPages<T> {
    private final Function<T, Instant> createdAt;
    private final Function<T, String> id;
    private final Comparator<T> newestFirst;

    NewestFirstPages(Function<T, Instant> createdAt, Function<T, String> id) {
        this.createdAt = createdAt;
        this.id = id;
        this.newestFirst = Comparator.comparing(createdAt).thenComparing(id).reversed();
    }

    Comparator<T> order() {
        return newestFirst;
    }

    /**
     * @param partition the items' partition; a cursor issued for another is refused
     * @throws IllegalArgumentException when the cursor is not one this partition's listing issued
     */
    Page<T> page(List<T> partitionItems, String partition, int limit, String cursor) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        Position after = decode(cursor, partition);
        List<T> page = partitionItems.stream().sorted(newestFirst)
                .filter(t -> after == null || after.isBefore(createdAt.apply(t), id.apply(t)))
                .limit(limit).toList();
        String next = page.size() < limit ? null : encode(partition, page.get(page.size() - 1));
        return new Page<>(page, next);
    }

    /** Where the previous page ended: items strictly older (or as old, with a smaller id) come next. */
    private record Position(Instant createdAt, String id) {
        boolean isBefore(Instant itemCreatedAt, String itemId) {
            int c = itemCreatedAt.compareTo(createdAt);
            return c < 0 || c == 0 && itemId.compareTo(id) < 0;
        }
    }

    private String encode(String partition, T last) {
        try {
            byte[] json = Json.mapper().writeValueAsBytes(Map.of("partition", partition,
                    "createdAt", createdAt.apply(last).toString(), "id", id.apply(last)));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Position decode(String cursor, String partition) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            Map<String, String> plain = Json.mapper().readValue(
                    Base64.getUrlDecoder().decode(cursor.getBytes(StandardCharsets.US_ASCII)),
                    new TypeReference<Map<String, String>>() {
                    });
            if (plain == null || !partition.equals(plain.get("partition")) || plain.get("id") == null
                    || plain.get("createdAt") == null) {
                throw new IllegalArgumentException("cursor is not valid");
            }
            return new Position(Instant.parse(plain.get("createdAt")), plain.get("id"));
        } catch (IOException | DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor is not valid");
        }
    }
}
