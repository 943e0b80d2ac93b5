package dev.tabrunner.engine;

import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;

import java.util.Base64;
import java.util.function.Consumer;

/**
 * A page's frames for a live view, as Chromium paints them ({@code Page.startScreencast}): a frame goes out when the
 * page changes, not on a timer, and costs no screenshot round trip. Frames are at the page's CSS size, so a viewer
 * maps a point on the frame to the page by scale alone. Events reach Java while the page's thread is inside a
 * Playwright call (an action, a wait), which is where the live view's owners spend their time.
 *
 * <p>Each frame is acknowledged at once: Chromium sends the next only after the last was acknowledged, which bounds
 * what is in flight to one frame.
 */
public final class Screencast implements AutoCloseable {
    private static final int QUALITY = 60;

    private final CDPSession cdp;
    private final Consumer<byte[]> frames;
    private final Consumer<JsonObject> onFrame = this::frame;

    private Screencast(CDPSession cdp, Consumer<byte[]> frames) {
        this.cdp = cdp;
        this.frames = frames;
    }

    /**
     * Starts the page's screencast; the first frame follows at once.
     *
     * @return the screencast, or null when the page cannot be cast (closed, or mid-crash); the caller then publishes
     *     screenshots as before
     */
    public static Screencast start(Page page, Consumer<byte[]> frames) {
        try {
            CDPSession cdp = page.context().newCDPSession(page);
            Screencast cast = new Screencast(cdp, frames);
            cdp.on("Page.screencastFrame", cast.onFrame);
            JsonObject params = new JsonObject();
            params.addProperty("format", "jpeg");
            params.addProperty("quality", QUALITY);
            var size = page.viewportSize();
            if (size != null) {
                params.addProperty("maxWidth", size.width);
                params.addProperty("maxHeight", size.height);
            }
            cdp.send("Page.startScreencast", params);
            return cast;
        } catch (PlaywrightException e) {
            return null;
        }
    }

    private void frame(JsonObject e) {
        try {
            JsonObject ack = new JsonObject();
            ack.addProperty("sessionId", e.get("sessionId").getAsInt());
            cdp.send("Page.screencastFrameAck", ack);
        } catch (PlaywrightException ex) {
            return; // the page is going away
        }
        frames.accept(Base64.getDecoder().decode(e.get("data").getAsString()));
    }

    /**
     * Stops taking frames. The CDP session is left to the page rather than detached or told to stop: on a page whose
     * renderer was killed (a stopped task's) both calls wait many seconds for an answer that does not come, holding
     * the worker's thread. Unacknowledged, Chromium sends at most one more frame, which no one handles; the session
     * goes with the page's context.
     */
    @Override
    public void close() {
        cdp.off("Page.screencastFrame", onFrame);
    }
}
