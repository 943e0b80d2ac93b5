package dev.tabrunner.engine;

import com.microsoft.playwright.Dialog;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Bounds the dialogs ({@code alert}, {@code confirm}, {@code prompt}, {@code beforeunload}) of a page. Each one is
 * dismissed as it opens; a page that opens more than {@value #MAX_PER_PAGE} is closed, because every dialog is a
 * round trip through the Playwright driver and a page looping over {@code alert()} would otherwise flood the driver
 * until it dies, failing the next task on this worker (another tenant's) too.
 */
final class Dialogs {
    static final int MAX_PER_PAGE = 50;
    private static final Logger LOG = LoggerFactory.getLogger(Dialogs.class);

    private final AtomicInteger closedPages = new AtomicInteger();

    /** Guards a page on its own, for a page no run watches (the login's). */
    static void guard(Page page) {
        new Dialogs().watch(page);
    }

    /**
     * Dismisses the page's dialogs, closing it past the cap.
     *
     * @return what stops watching the page (a warm page's next run watches it with a count of its own)
     */
    Runnable watch(Page page) {
        AtomicInteger seen = new AtomicInteger();
        Consumer<Dialog> handler = dialog -> handle(page, dialog, seen.incrementAndGet());
        page.onDialog(handler);
        return () -> page.offDialog(handler);
    }

    private void handle(Page page, Dialog dialog, int count) {
        try {
            dialog.dismiss();
            if (count == MAX_PER_PAGE + 1) {
                closedPages.incrementAndGet();
                LOG.info("a page opened more than {} dialogs; closing it", MAX_PER_PAGE);
                page.close();
            }
        } catch (PlaywrightException e) {
            LOG.debug("handling a dialog: {}", e.getMessage());
        }
    }

    /** True when a watched page was closed for its dialogs. */
    boolean overflowed() {
        return closedPages.get() > 0;
    }

    static ActionFailure failure() {
        return new ActionFailure(422, "too_many_dialogs", "the page opened more than " + MAX_PER_PAGE
                + " dialogs (alert, confirm, prompt) and was closed");
    }
}
