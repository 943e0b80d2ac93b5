package dev.tabrunner.webhook;

import com.sun.net.httpserver.HttpServer;
import dev.tabrunner.domain.CredentialSecret;
import dev.tabrunner.domain.Webhook;
import dev.tabrunner.domain.WebhookDelivery;
import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.testing.InMemoryCredentialVault;
import dev.tabrunner.testing.InMemoryWebhookStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** One attempt at a delivery: signed, through the egress guard, retried with backoff for a day, then given up. */
class WebhookSenderTest {
    private final Instant now = Instant.parse("2026-05-01T10:00:00Z");
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private final InMemoryWebhookStore webhooks = new InMemoryWebhookStore();
    private final InMemoryCredentialVault vault = new InMemoryCredentialVault();
    private final Map<String, String> received = new ConcurrentHashMap<>();
    private final AtomicInteger answer = new AtomicInteger(204);
    private final HttpServer receiver;

    WebhookSenderTest() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            received.put("timestamp", exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER));
            received.put("signature", exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER));
            received.put("event", exchange.getRequestHeaders().getFirst(WebhookSignature.EVENT_HEADER));
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    private WebhookDelivery registered(Instant eventAt, int attemptsBefore) {
        Webhook w = new Webhook("w1", "acme", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                List.of(), null, now);
        webhooks.create(w);
        vault.put("acme", w.secretId(), new CredentialSecret("webhook", "whsec_test", null), "t");
        return new WebhookDelivery("d1", "acme", "w1", "evt_1", "{\"type\":\"task.updated\"}", eventAt,
                attemptsBefore, eventAt);
    }

    @Test
    void aDelivery_isSignedOverTimestampDotBody() {
        WebhookSender sender = new WebhookSender(webhooks, vault, EgressPolicy.fromAllowList("127.0.0.1"), clock);
        WebhookDelivery d = registered(now, 0);

        assertThat(sender.attempt(d)).isEqualTo(new WebhookSender.Delivered(204));
        assertThat(received.get("body")).isEqualTo(d.body());
        assertThat(received.get("event")).isEqualTo("evt_1");
        assertThat(received.get("timestamp")).isEqualTo(Long.toString(now.getEpochSecond()));
        assertThat(received.get("signature")).isEqualTo(WebhookSignature.sign("whsec_test", now.getEpochSecond(),
                d.body())).startsWith("v1=");
        sender.close();
    }

    @Test
    void aLoopbackEndpoint_isRefusedByTheEgressGuard_andRetried() {
        WebhookSender sender = new WebhookSender(webhooks, vault, EgressPolicy.fromAllowList(""), clock);
        WebhookSender.Outcome outcome = sender.attempt(registered(now, 0));

        assertThat(outcome).isInstanceOfSatisfying(WebhookSender.Retry.class, r -> {
            assertThat(r.reason()).startsWith("refused");
            assertThat(r.next().attempt()).isEqualTo(1);
            assertThat(r.next().notBefore()).isEqualTo(now.plusSeconds(30));
        });
        assertThat(received).isEmpty();
        sender.close();
    }

    @Test
    void aFailingReceiver_isRetriedWithBackoff_untilADayAfterTheEvent() {
        answer.set(500);
        WebhookSender sender = new WebhookSender(webhooks, vault, EgressPolicy.fromAllowList("127.0.0.1"), clock);
        assertThat(sender.attempt(registered(now.minus(Duration.ofHours(23)), 3)))
                .isInstanceOfSatisfying(WebhookSender.Retry.class,
                        r -> assertThat(r.next().notBefore()).isEqualTo(now.plus(Duration.ofMinutes(4))));
        webhooks.delete("acme", "w1");
        assertThat(sender.attempt(registered(now.minus(Duration.ofHours(24)), 30)))
                .isInstanceOf(WebhookSender.GivenUp.class);
        sender.close();
    }

    @Test
    void backoff_doublesFrom30Seconds_toAnHourAtMost() {
        assertThat(WebhookSender.backoff(0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(WebhookSender.backoff(1)).isEqualTo(Duration.ofMinutes(1));
        assertThat(WebhookSender.backoff(6)).isEqualTo(Duration.ofMinutes(32));
        assertThat(WebhookSender.backoff(7)).isEqualTo(Duration.ofHours(1));
        assertThat(WebhookSender.backoff(40)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aDeletedEndpoint_dropsItsDeliveries() {
        WebhookSender sender = new WebhookSender(webhooks, vault, EgressPolicy.fromAllowList("127.0.0.1"), clock);
        WebhookDelivery d = registered(now, 0);
        webhooks.delete("acme", "w1");
        assertThat(sender.attempt(d)).isInstanceOf(WebhookSender.Dropped.class);
        sender.close();
    }
}
