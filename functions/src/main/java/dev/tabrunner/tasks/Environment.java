package dev.tabrunner.tasks;

import dev.tabrunner.domain.UploadedFile;

import java.time.Instant;
import java.util.List;

/**
 * An environment (seed 001: "persist browser data and files across sessions") and what it holds now. It is a
 * browser profile of the tenant ({@link dev.tabrunner.domain.BrowserProfile}), so browser-use v1's profiles show up
 * here too.
 *
 * @param name      the name given when it was created; the id for a profile a v1 task created
 * @param createdAt when it was created, or null for a profile saved before environments kept one
 * @param cookies   how many cookies its saved browser state holds
 * @param origins   the origins its saved local storage holds data for
 * @param files     the files a session started from it gets
 */
public record Environment(String id, String name, Instant createdAt, int cookies, List<String> origins,
                          List<UploadedFile> files) {
    public Environment {
        origins = List.copyOf(origins);
        files = List.copyOf(files);
    }
}
