package dev.tabrunner.browserusev2;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;

/**
 * What the v2 dialect keeps with one of its sessions (the session itself is the native one, in the session store):
 * that it is a v2 session and of which kind, and the options only v2 has.
 *
 * @param kind         {@code agent} ({@code /sessions}, or made for a task) or {@code browser} ({@code /browsers})
 * @param proxyCountry the proxy country its tasks go through, or null for a direct connection
 * @param startUrl     where its first task starts when the task names no start URL, or null
 * @param keepAlive    false when the session ends with its first task
 * @param shareToken   the token of its public share, or null when it is not shared
 * @param viewCount    how often the public share was read
 * @param connect      the paths of a browser's CDP link and live view (their tokens with them, as a share's is), or
 *                     null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record V2SessionRecord(String id, String kind, String proxyCountry, String startUrl, boolean keepAlive,
                       Map<String, String> metadata, String shareToken, long viewCount, Instant lastViewedAt,
                       BrowserConnect.Endpoints connect) {
    static final String AGENT = "agent";
    static final String BROWSER = "browser";

    V2SessionRecord {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    V2SessionRecord withShare(String token) {
        return new V2SessionRecord(id, kind, proxyCountry, startUrl, keepAlive, metadata, token, token == null ? 0
                : viewCount, token == null ? null : lastViewedAt, connect);
    }

    V2SessionRecord viewed(Instant at) {
        return new V2SessionRecord(id, kind, proxyCountry, startUrl, keepAlive, metadata, shareToken, viewCount + 1,
                at, connect);
    }
}
