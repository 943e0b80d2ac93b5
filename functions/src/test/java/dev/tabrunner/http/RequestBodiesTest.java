package dev.tabrunner.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class RequestBodiesTest {
    private static final int LIMIT = RequestBodies.MAX_JSON_BYTES;
    /** Each body below reads in about 0.3 s; the bound leaves room for a busy machine, not for a blow-up. */
    private static final Duration QUICKLY = Duration.ofSeconds(2);

    /** Fills a body up to exactly {@code bytes} UTF-8 bytes: prefix, repeated unit, suffix. */
    private static String body(String prefix, Supplier<String> unit, String suffix, int bytes) {
        StringBuilder b = new StringBuilder(prefix);
        int size = utf8(prefix) + utf8(suffix);
        while (true) {
            String next = unit.get();
            if (size + utf8(next) > bytes) {
                break;
            }
            b.append(next);
            size += utf8(next);
        }
        b.append(" ".repeat(bytes - size));
        return b.append(suffix).toString();
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static ApiException refusal(String body) {
        try {
            RequestBodies.parse(body);
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("accepted a body of " + body.length() + " characters");
    }

    @Test
    void bodiesAtTheLimit_areReadQuickly() {
        int[] keys = {0};
        int[] colliding = {0};
        String[] bodies = {
            body("{\"text\":\"", () -> "a", "\"}", LIMIT),
            body("{\"n\":[0", () -> ",1e999999", "]}", LIMIT),
            body("{\"k0\":0", () -> ",\"k" + ++keys[0] + "\":" + keys[0], "}", LIMIT),
            // field names with one String.hashCode ("Aa" and "BB" collide), aimed at the duplicate detector's set
            body("{\"x\":0", () -> ",\"" + Integer.toBinaryString(++colliding[0] | 1 << 16).substring(1)
                    .replace("0", "Aa").replace("1", "BB") + "\":0", "}", LIMIT),
        };
        for (String body : bodies) {
            assertThat(utf8(body)).isEqualTo(LIMIT);
            JsonNode node = assertTimeoutPreemptively(QUICKLY, () -> RequestBodies.parse(body));
            assertThat(node.isObject()).isTrue();
        }
    }

    @Test
    void deepNestingAtTheLimit_is400_quickly() {
        for (String open : new String[] {"[", "{\"a\":"}) {
            String body = "{\"actions\":" + open.repeat((LIMIT - 12) / open.length());
            ApiException e = assertTimeoutPreemptively(QUICKLY, () -> refusal(body));
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("invalid_json");
        }
    }

    @Test
    void bodyOverTheLimit_is413() {
        ApiException e = refusal(" ".repeat(LIMIT) + "{}");
        assertThat(e.status()).isEqualTo(413);
        assertThat(e.code()).isEqualTo("body_too_large");
    }

    /** Found checking bodies at the limit: the limit counted characters, so 1 MiB of "é" was 2 MiB on the wire. */
    @Test
    void bodyOverTheLimitInUtf8Bytes_is413_evenWithFewerCharacters() {
        String body = body("{\"text\":\"", () -> "\u00e9", "\"}", LIMIT + 2);
        assertThat(body.length()).isLessThan(LIMIT);
        assertThat(refusal(body).status()).isEqualTo(413);
        assertThat(refusal("{\"t\":\"" + "\ud83d\ude00".repeat(LIMIT / 4) + "\"}").status()).isEqualTo(413);
        assertThat(RequestBodies.parse(body("{\"text\":\"", () -> "\u00e9", "\"}", LIMIT)).isObject()).isTrue();
    }

    @Test
    void malformedOrNonObjectBodies_are400() {
        for (String body : new String[] {"{", "[]", "null", "\"x\"", "{} {}", "{\"a\":1,\"a\":2}", "\ufeff{}"}) {
            ApiException e = refusal(body);
            assertThat(e.status()).as(body).isEqualTo(400);
            assertThat(e.code()).as(body).isEqualTo("invalid_json");
        }
        assertThatThrownBy(() -> RequestBodies.object("{\"nope\":1}", java.util.Set.of("a")))
                .isInstanceOf(ApiException.class).extracting("status").isEqualTo(400);
    }
}
