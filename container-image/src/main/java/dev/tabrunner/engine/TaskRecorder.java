package dev.tabrunner.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import dev.tabrunner.action.Action;
import dev.tabrunner.domain.SecretMask;
import dev.tabrunner.json.Json;
import dev.tabrunner.recording.Recordings;
import dev.tabrunner.recording.RrwebBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records one run of a task with rrweb (ADR 0042): the recorder runs in the task's page (an init script of the
 * task's context, so every document the page loads is recorded from its start), and sends each event to the engine
 * through a binding. The run's actions are marked as they begin. At the run's end the events, with every form of the
 * run's secrets redacted, are stored as the task's {@value Recordings#KIND} artifact.
 *
 * <p>What keeps secrets out: password fields are masked in the page, and every input field when the run has secrets
 * of its own to type; a login ({@code authenticate}) types in a context of its own (ADR 0020), which is not
 * recorded; what a site echoes of a secret is redacted as in every other output. Recording never fails the task:
 * past its size limit it stops and says so, and a recorder the page breaks leaves a shorter recording.
 *
 * <p>Only the task's own page is recorded, not its popups; frames of other origins appear empty.
 */
final class TaskRecorder {
    /** The page function the recorder sends events through. */
    static final String BINDING = "__tabrunnerRecord";
    private static final Logger LOG = LoggerFactory.getLogger(TaskRecorder.class);
    /** A recorder that records nothing: a run that is not recorded. */
    static final TaskRecorder NONE = new TaskRecorder(null, null, null, null);

    private final RecordingSpec spec;
    private final BrowserContext context;
    private final Page page;
    private final Clock clock;
    private final List<String> events = new ArrayList<>();
    private final ArrayNode marks = Json.mapper().createArrayNode();
    private final List<AutoCloseable> installed = new ArrayList<>();
    /**
     * The recorder of the run now in each context. A binding cannot be taken off a context again (exposing it a
     * second time fails), and a warm context serves the session's next runs: the binding is exposed once per context
     * and hands each event to whichever run records there now.
     */
    private static final Map<BrowserContext, AtomicReference<TaskRecorder>> CURRENT =
            Collections.synchronizedMap(new WeakHashMap<>());
    private long bytes;
    private boolean truncated;
    private int counter;

    private TaskRecorder(RecordingSpec spec, BrowserContext context, Page page, Clock clock) {
        this.spec = spec;
        this.context = context;
        this.page = page;
        this.clock = clock;
    }

    /**
     * Starts recording the run's page, or returns {@link #NONE} when the spec asks for no recording or the recorder
     * cannot be installed (the task runs unrecorded).
     */
    static TaskRecorder start(RecordingSpec spec, ContextSource.Opened opened, Clock clock) {
        if (spec == null) {
            return NONE;
        }
        TaskRecorder recorder = new TaskRecorder(spec, opened.context(), opened.page(), clock);
        try {
            recorder.install(opened.warm());
            return recorder;
        } catch (PlaywrightException e) {
            LOG.warn("the run is not recorded: {}", BrowserHost.firstLine(e.getMessage()));
            recorder.uninstall();
            return NONE;
        }
    }

    private void install(boolean warm) {
        boolean maskAll = !spec.secrets().isEmpty();
        AtomicReference<TaskRecorder> current = CURRENT.get(context);
        if (current == null) {
            AtomicReference<TaskRecorder> slot = new AtomicReference<>();
            context.exposeBinding(BINDING, (source, args) -> {
                TaskRecorder r = slot.get();
                // popups and other pages of the context would interleave their documents with the task's page
                if (r != null && source.page() == r.page && args.length == 1 && args[0] instanceof String event) {
                    r.accept(event);
                }
                return null;
            });
            CURRENT.put(context, slot);
            current = slot;
        }
        current.set(this);
        AtomicReference<TaskRecorder> mine = current;
        installed.add(() -> mine.compareAndSet(this, null));
        installed.add(context.addInitScript(script(maskAll)));
        if (warm && !page.url().startsWith("about:")) {
            // the session's earlier task left this page loaded: its document is recorded from now on
            page.evaluate(script(maskAll));
        }
    }

    /** The task's actions with each one's start marked on the recording's clock. */
    PageActions marking(PageActions actions) {
        if (this == NONE) {
            return actions;
        }
        return new PageActions() {
            @Override
            public ObjectNode run(Page p, Action action) {
                mark(counter++, action);
                return actions.run(p, action);
            }

            @Override
            public ObjectNode run(Page p, Action action, int index) {
                mark(index, action);
                return actions.run(p, action, index);
            }

            @Override
            public String redact(String text) {
                return actions.redact(text);
            }
        };
    }

    private void mark(int index, Action action) {
        ObjectNode m = marks.addObject().put("at", clock.millis()).put("index", index).put("type", action.type());
        // what a person needs to find the step on the timeline; no text typed (a secret may be in it)
        String label = action instanceof Action.Navigate n ? "navigate " + n.url()
                : action instanceof Action.Click c && c.selector() != null ? "click " + c.selector()
                : action instanceof Action.Type t ? "type into " + t.selector()
                : action.type();
        m.put("label", label);
    }

    private void accept(String event) {
        if (truncated) {
            return;
        }
        long size = event.length();
        if (bytes + size > spec.maxBytes()) {
            truncated = true;
            LOG.info("recording reached its limit of {} bytes; the rest of the run is not recorded",
                    spec.maxBytes());
            return;
        }
        bytes += size;
        events.add(event);
    }

    /**
     * Stops recording and stores what was recorded as the task's artifact, redacted with the run's secrets. Never
     * throws: a recording that cannot be stored is logged and left out.
     */
    void finish(Redactor redactor, EngineListener listener) {
        if (this == NONE) {
            return;
        }
        stopInPage();
        uninstall();
        try {
            byte[] document = document(redactor);
            listener.saveArtifact(Recordings.KIND, Recordings.FILENAME, Recordings.CONTENT_TYPE, document);
        } catch (IOException | RuntimeException e) {
            // StoreUnavailableException among them: the task's own outcome matters more than its recording
            LOG.warn("the run's recording could not be stored: {}", e.getMessage());
        }
    }

    /** The page keeps the recorder running otherwise: a warm context serves the session's next task. */
    private void stopInPage() {
        try {
            if (!page.isClosed() && context.browser() != null && context.browser().isConnected()) {
                page.evaluate("() => { const stop = window.__tabrunnerRecorder; if (stop) { stop();"
                        + " delete window.__tabrunnerRecorder; } }");
            }
        } catch (PlaywrightException e) {
            LOG.debug("recorder not stopped in the page: {}", BrowserHost.firstLine(e.getMessage()));
        }
    }

    private void uninstall() {
        for (AutoCloseable a : installed) {
            try {
                a.close();
            } catch (Exception e) {
                LOG.debug("recorder not removed: {}", e.getMessage());
            }
        }
        installed.clear();
    }

    private byte[] document(Redactor redactor) throws IOException {
        SecretMask own = new SecretMask();
        spec.secrets().forEach(s -> own.add(s, Redactor.MARKER));
        ArrayNode out = Json.mapper().createArrayNode();
        for (String event : events) {
            String clean = own.apply(redactor.redact(event));
            JsonNode parsed;
            try {
                parsed = Json.mapper().readTree(clean);
            } catch (IOException e) {
                continue; // the page's own script may call the binding too; what is not an event is left out
            }
            if (parsed instanceof ObjectNode) {
                out.add(parsed);
            }
        }
        ObjectNode doc = Json.mapper().createObjectNode().put("format", "rrweb").put("version", 1)
                .put("truncated", truncated);
        doc.set("events", out);
        doc.set("marks", own.apply(redactor.redact(marks)));
        return Json.mapper().writeValueAsString(doc).getBytes(StandardCharsets.UTF_8);
    }

    private static String script(boolean maskAll) {
        return maskAll ? Scripts.MASK_ALL : Scripts.MASK_PASSWORDS;
    }

    /**
     * The init script: rrweb's bundle run in a function whose {@code exports}, {@code module} and {@code define} are
     * undefined (a page's own module loader must not capture it) and whose {@code this} receives it, so that nothing
     * but the stop function is left on the page's window. Frames are recorded by their top document.
     */
    private static final class Scripts {
        static final String MASK_PASSWORDS = build(false);
        static final String MASK_ALL = build(true);

        private static String build(boolean maskAll) {
            return "(() => {\n"
                    + "if (window.top !== window || window.__tabrunnerRecorder) return;\n"
                    + "const send = window." + BINDING + ";\n"
                    + "if (typeof send !== 'function') return;\n"
                    + "const holder = {};\n"
                    + "(function (exports, module, define) {\n" + RrwebBundle.script() + "\n}).call(holder);\n"
                    + "const stop = holder.rrweb.record({\n"
                    + "  emit(e) { try { Promise.resolve(send(JSON.stringify(e))).catch(() => {}); } catch (x) {} },\n"
                    + "  maskAllInputs: " + maskAll + ", maskInputOptions: {password: true},\n"
                    + "  recordCanvas: false, inlineImages: false, collectFonts: false,\n"
                    + "  recordCrossOriginIframes: false, inlineStylesheet: true,\n"
                    + "  sampling: {mousemove: 100, scroll: 150, input: 'last', media: 800},\n"
                    + "  slimDOMOptions: {script: true, comment: true}\n"
                    + "});\n"
                    + "if (stop) Object.defineProperty(window, '__tabrunnerRecorder', {value: stop,"
                    + " configurable: true});\n"
                    + "})();";
        }
    }
}
