package dev.tabrunner.domain;

/** Browser viewport in CSS pixels. */
public record Viewport(int width, int height) {
    public static final Viewport DEFAULT = new Viewport(1280, 960);
    public static final int MIN = 200;
    public static final int MAX = 7680;

    public Viewport {
        if (width < MIN || width > MAX || height < MIN || height > MAX) {
            throw new IllegalArgumentException("viewport width and height must be between " + MIN + " and " + MAX);
        }
    }
}
