package dev.tabrunner.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.action.Action;
import dev.tabrunner.action.InvalidRequestException;
import dev.tabrunner.action.PdfOptions;
import dev.tabrunner.action.TaskRequest;
import dev.tabrunner.action.TaskRequestParser;
import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.json.Json;

import java.net.URI;
import java.util.Locale;

/**
 * The property the fuzz tests hold the Run Task parser to: whatever the body, reading it with the product's mapper
 * and then parsing it either succeeds or fails with one of the two exceptions the API answers with 400
 * ({@link JsonProcessingException} while reading, {@link InvalidRequestException} while parsing). Anything else
 * escaping (NPE, ClassCast, NumberFormat, StackOverflow, ...) would be a 500, so it is left to propagate and the
 * fuzzer reports it as a finding.
 */
public final class TaskBodyProperty {
    private TaskBodyProperty() {
    }

    /** Reads {@code body} as {@code RequestBodies} does and, when it is an object, parses it both ways. */
    public static void check(String body) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            return;
        }
        if (node != null && node.isObject()) {
            checkParsed(node);
        }
    }

    /** Runs both parser entry points on an already read body. */
    public static void checkParsed(JsonNode node) {
        try {
            checkAccepted(TaskRequestParser.parse(node));
        } catch (InvalidRequestException e) {
            checkRefusal(e);
        }
        try {
            checkAccepted(TaskRequestParser.parsePdf(node));
        } catch (InvalidRequestException e) {
            checkRefusal(e);
        }
    }

    private static void checkRefusal(InvalidRequestException e) {
        if (e.field() == null || e.getMessage() == null) {
            throw new AssertionError("a 400 must name the field: " + e.getMessage(), e);
        }
    }

    /** What the parser promises about a body it accepts, beyond not throwing. */
    private static void checkAccepted(TaskRequest r) {
        if (r.actions().size() > TaskRequestParser.MAX_ACTIONS) {
            throw new AssertionError("accepted " + r.actions().size() + " actions");
        }
        if (r.url() != null) {
            checkHttpUrl(r.url());
        }
        for (Action a : r.actions()) {
            if (a.timeoutMs() != null && (a.timeoutMs() < 1 || a.timeoutMs() > TaskRequestParser.MAX_TIMEOUT_MS)) {
                throw new AssertionError("accepted timeoutMs " + a.timeoutMs());
            }
            if (a instanceof Action.Navigate) {
                checkHttpUrl(((Action.Navigate) a).url());
            }
        }
        if (r.pdf() != null) {
            checkAccepted(r.pdf());
        }
    }

    private static void checkAccepted(PdfOptions p) {
        if (p.scale() != null && !(p.scale() >= 0.1 && p.scale() <= 2.0)) {
            throw new AssertionError("accepted scale " + p.scale());
        }
    }

    /** Hosts are the egress guard's business (the parser reads them as browsers do), but there must be one. */
    private static void checkHttpUrl(String url) {
        URI uri = URI.create(url);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = EgressPolicy.hostOf(uri);
        if (!scheme.equals("http") && !scheme.equals("https") || host == null || host.isBlank()
                || url.length() > TaskRequestParser.MAX_URL_LENGTH) {
            throw new AssertionError("accepted URL " + url);
        }
    }
}
