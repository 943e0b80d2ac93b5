package dev.tabrunner.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.event.KeyValuePair;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * One line per log event: JSON when {@code TABRUNNER_LOG_FORMAT=json} (one object per line, which CloudWatch Logs
 * Insights reads field by field), plain text otherwise. The event's key-value pairs (SLF4J's
 * {@code addKeyValue}) become fields of the JSON object, or {@code key=value} after the plain message.
 */
public final class LogLayout extends LayoutBase<ILoggingEvent> {
    /** The variable that picks the format (also read as a system property of that name, for tests). */
    public static final String FORMAT_VARIABLE = "TABRUNNER_LOG_FORMAT";
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter PLAIN_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private boolean json = "json".equalsIgnoreCase(format());

    private static String format() {
        String v = System.getProperty(FORMAT_VARIABLE);
        return v != null ? v : System.getenv(FORMAT_VARIABLE);
    }

    /** For tests: whether lines are JSON. */
    public void setJson(boolean json) {
        this.json = json;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        return json ? json(event) : plain(event);
    }

    private static String plain(ILoggingEvent e) {
        StringBuilder b = new StringBuilder(160);
        b.append(PLAIN_TIME.format(Instant.ofEpochMilli(e.getTimeStamp()))).append(' ');
        String level = e.getLevel().toString();
        b.append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
        b.append('[').append(e.getThreadName()).append("] ").append(shortName(e.getLoggerName())).append(" - ");
        b.append(e.getFormattedMessage());
        List<KeyValuePair> pairs = e.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair p : pairs) {
                b.append(' ').append(p.key).append('=').append(p.value);
            }
        }
        b.append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = e.getThrowableProxy();
        if (thrown != null) {
            b.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
        }
        return b.toString();
    }

    private static String json(ILoggingEvent e) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(e.getTimeStamp()).toString());
            g.writeStringField("level", e.getLevel().toString());
            g.writeStringField("logger", e.getLoggerName());
            g.writeStringField("thread", e.getThreadName());
            g.writeStringField("message", e.getFormattedMessage());
            List<KeyValuePair> pairs = e.getKeyValuePairs();
            if (pairs != null) {
                for (KeyValuePair p : pairs) {
                    if (p.value instanceof Number n) {
                        g.writeFieldName(p.key);
                        g.writeNumber(n.toString());
                    } else if (p.value instanceof Boolean v) {
                        g.writeBooleanField(p.key, v);
                    } else {
                        g.writeStringField(p.key, p.value == null ? null : p.value.toString());
                    }
                }
            }
            IThrowableProxy thrown = e.getThrowableProxy();
            if (thrown != null) {
                g.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
            }
            g.writeEndObject();
        } catch (IOException impossible) {
            return plain(e);
        }
        return out + CoreConstants.LINE_SEPARATOR;
    }

    /** {@code dev.tabrunner.http.RequestLog} as {@code d.t.http.RequestLog}: the plain lines stay short. */
    private static String shortName(String logger) {
        int last = logger.lastIndexOf('.');
        if (last < 0) {
            return logger;
        }
        StringBuilder b = new StringBuilder();
        int start = 0;
        for (int dot = logger.indexOf('.'); dot >= 0 && dot < last; dot = logger.indexOf('.', start)) {
            b.append(logger.charAt(start)).append('.');
            start = dot + 1;
        }
        return b.append(logger.substring(start)).toString();
    }
}
