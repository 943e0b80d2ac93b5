package dev.tabrunner.action;

/** PDF rendering options (Chromium's print-to-PDF). Margins are CSS lengths such as {@code "1cm"}. */
public record PdfOptions(String format, boolean landscape, Margin margin, boolean printBackground, Double scale) {
    public record Margin(String top, String right, String bottom, String left) {
    }
}
