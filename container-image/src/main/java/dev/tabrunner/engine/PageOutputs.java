package dev.tabrunner.engine;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.Margin;
import dev.tabrunner.action.PdfOptions;
import dev.tabrunner.action.TaskRequest;

import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/** What a scripted task asked to keep of its last page: a screenshot, a PDF, the HTML. */
final class PageOutputs {
    private final long actionTimeoutMs;

    PageOutputs(long actionTimeoutMs) {
        this.actionTimeoutMs = actionTimeoutMs;
    }

    /** @param redact scrubs the stored HTML of the secrets the run used (a site may echo one back) */
    void save(Page page, TaskRequest request, EngineListener listener, UnaryOperator<String> redact) {
        if (request.screenshot() != null) {
            listener.saveArtifact("screenshot", "screenshot.png", "image/png", screenshot(page, request));
        }
        if (request.pdf() != null) {
            listener.saveArtifact("pdf", "page.pdf", "application/pdf", page.pdf(pdfOptions(request.pdf())));
        }
        if (request.content()) {
            listener.saveArtifact("content", "page.html", "text/html; charset=utf-8",
                    redact.apply(page.content()).getBytes(StandardCharsets.UTF_8));
        }
    }

    private byte[] screenshot(Page page, TaskRequest request) {
        String selector = request.screenshot().selector();
        if (selector == null) {
            return page.screenshot(new Page.ScreenshotOptions().setFullPage(request.screenshot().fullPage()));
        }
        try {
            return page.locator(selector).first()
                    .screenshot(new Locator.ScreenshotOptions().setTimeout(actionTimeoutMs));
        } catch (TimeoutError e) {
            throw new ActionFailure(404, "selector_not_found", "screenshot selector '" + selector
                    + "' matched nothing");
        }
    }

    private static Page.PdfOptions pdfOptions(PdfOptions p) {
        Page.PdfOptions o = new Page.PdfOptions().setLandscape(p.landscape()).setPrintBackground(p.printBackground());
        if (p.format() != null) {
            o.setFormat(p.format());
        }
        if (p.scale() != null) {
            o.setScale(p.scale());
        }
        if (p.margin() != null) {
            Margin m = new Margin();
            if (p.margin().top() != null) {
                m.setTop(p.margin().top());
            }
            if (p.margin().right() != null) {
                m.setRight(p.margin().right());
            }
            if (p.margin().bottom() != null) {
                m.setBottom(p.margin().bottom());
            }
            if (p.margin().left() != null) {
                m.setLeft(p.margin().left());
            }
            o.setMargin(m);
        }
        return o;
    }
}
