package dev.tabrunner.domain;

import java.util.Objects;

/**
 * A file a task produced (screenshot, PDF, page HTML, a download), kept in the blob store under the task. Its key is
 * generated; its {@code filename} is metadata only, what a caller sees and saves it as.
 */
public record Artifact(String id, String kind, String filename, String contentType, long size, String blobKey) {
    /** Longest name kept; longer ones keep their end (the extension). */
    public static final int MAX_FILENAME = 200;
    private static final String FALLBACK = "download";

    public Artifact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(blobKey, "blobKey");
    }

    /**
     * A name a page chose (a download's), made safe to show and to put into a {@code Content-Disposition} header:
     * its last path segment, without control characters, quotes, backslashes or leading dots, at most
     * {@value #MAX_FILENAME} characters; {@code download} when nothing is left. Spaces and other letters stay.
     */
    public static String safeFilename(String suggested) {
        String name = suggested == null ? "" : suggested;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);
        StringBuilder out = new StringBuilder();
        name.codePoints().filter(cp -> !Character.isISOControl(cp) && cp != '"' && cp != '\\'
                && Character.getType(cp) != Character.FORMAT && Character.getType(cp) != Character.LINE_SEPARATOR
                && Character.getType(cp) != Character.PARAGRAPH_SEPARATOR).forEach(out::appendCodePoint);
        name = out.toString().strip().replaceFirst("^\\.+", "").strip();
        if (name.length() > MAX_FILENAME) {
            name = name.substring(name.length() - MAX_FILENAME);
        }
        return name.isEmpty() ? FALLBACK : name;
    }
}
