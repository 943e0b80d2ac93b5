package dev.tabrunner.port;

import java.util.regex.Pattern;

/**
 * The one rule for {@link BlobStore} keys, which every store applies: 1 to 1024 of {@code A-Z a-z 0-9 . _ - /},
 * relative, and no segment that is empty, {@code .} or {@code ..} (the only way a key could climb out of its place in
 * a directory). Dots inside a segment ({@code a..b}, a profile id) are ordinary characters. Ids that become key
 * segments ({@code dev.tabrunner.domain.BrowserProfile#ID}) are chosen so that every valid id makes a valid key.
 */
public final class BlobKeys {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._/-]{1,1024}");

    private BlobKeys() {
    }

    /** True when a store accepts the key. */
    public static boolean valid(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            return false;
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the key, when valid
     * @throws IllegalArgumentException {@code invalid blob key} otherwise
     */
    public static String checked(String key) {
        if (!valid(key)) {
            throw new IllegalArgumentException("invalid blob key");
        }
        return key;
    }
}
