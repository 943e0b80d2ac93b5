package dev.tabrunner.domain;

/** Browser viewport in CSS pixels. */
public record Viewport(int width, int height) {
    public static final Viewport DEFAULT = new Viewport(1280, 960);
    /**
     * The smallest side Chromium renders: Playwright's emulated viewport gives a page of 1x1 CSS pixel (innerWidth
     * and screenshots of exactly that size), while 0 is refused by the browser. Seed 002's example asks for 123.
     */
    public static final int MIN = 1;
    public static final int MAX = 7680;

    public Viewport {
        if (width < MIN || width > MAX || height < MIN || height > MAX) {
            throw new IllegalArgumentException("viewport width and height must be between " + MIN + " and " + MAX);
        }
    }
}
