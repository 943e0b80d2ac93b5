package dev.tabrunner.port;

import java.util.List;

/**
 * One page of a newest-first listing.
 *
 * @param nextCursor opaque cursor for the following page, or null when this is the last page
 */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
