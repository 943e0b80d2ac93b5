package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tabrunner.tasks.Environment;

import java.util.List;

/**
 * An environment as the native API shows it: its name, when it was created, and what it holds.
 *
 * @param cookies how many cookies its saved browser state holds
 * @param origins the origins its saved local storage holds data for
 * @param files   the files a session started from it gets
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record EnvironmentView(String id, String name, String createdAt, int cookies, List<String> origins,
                       List<FileView> files) {
    /** The tenant's environments. */
    record Listing(List<EnvironmentView> environments) {
    }

    static EnvironmentView of(Environment e) {
        return new EnvironmentView(e.id(), e.name(), e.createdAt() == null ? null : e.createdAt().toString(),
                e.cookies(), e.origins(), e.files().stream().map(FileView::of).toList());
    }
}
