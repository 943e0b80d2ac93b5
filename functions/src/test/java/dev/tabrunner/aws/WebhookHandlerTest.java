package dev.tabrunner.aws;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tabrunner.domain.CredentialSecret;
import dev.tabrunner.domain.Webhook;
import dev.tabrunner.domain.WebhookDelivery;
import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.json.Json;
import dev.tabrunner.testing.InMemoryCredentialVault;
import dev.tabrunner.testing.InMemoryWebhookStore;
import dev.tabrunner.webhook.WebhookSender;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The queue's consumer on AWS: a due delivery is attempted, a failed one queued again, an early one put back. */
class WebhookHandlerTest {
    private final Instant now = Instant.parse("2026-07-01T12:00:00Z");
    private final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
    private final InMemoryWebhookStore webhooks = new InMemoryWebhookStore();
    private final InMemoryCredentialVault vault = new InMemoryCredentialVault();
    private final List<WebhookDelivery> queued = new ArrayList<>();

    private SQSEvent event(WebhookDelivery... deliveries) throws Exception {
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (WebhookDelivery d : deliveries) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId(d.id());
            m.setBody(Json.mapper().writeValueAsString(d));
            messages.add(m);
        }
        SQSEvent e = new SQSEvent();
        e.setRecords(messages);
        return e;
    }

    @Test
    void aRefusedDelivery_isQueuedAgainWithBackoff_andAnEarlyOneGoesBackUntouched() throws Exception {
        // an internal endpoint the egress guard refuses: the attempt fails without any network
        webhooks.create(new Webhook("w1", "acme", "http://10.0.0.7/hook", List.of(), null, now));
        vault.put("acme", "webhook-w1", new CredentialSecret("webhook", "whsec_x", null), "t");
        WebhookSender sender = new WebhookSender(webhooks, vault, EgressPolicy.fromAllowList(""), clock);
        WebhookHandler handler = new WebhookHandler(sender, queued::add, clock);
        WebhookDelivery due = new WebhookDelivery("d1", "acme", "w1", "evt_1", "{}", now, 0, now);
        WebhookDelivery early = new WebhookDelivery("d2", "acme", "w1", "evt_2", "{}", now, 4, now.plusSeconds(3600));

        handler.handleRequest(event(due, early), null);

        assertThat(queued).hasSize(2);
        assertThat(queued.get(0).id()).isEqualTo("d1");
        assertThat(queued.get(0).attempt()).isEqualTo(1);
        assertThat(queued.get(0).notBefore()).isEqualTo(now.plusSeconds(30));
        assertThat(queued.get(1)).isEqualTo(early);
        sender.close();
    }

    @Test
    void aDeliveryOfADeletedEndpoint_isDropped() throws Exception {
        WebhookSender sender = new WebhookSender(webhooks, vault, EgressPolicy.fromAllowList(""), clock);
        new WebhookHandler(sender, queued::add, clock).handleRequest(event(
                new WebhookDelivery("d3", "acme", "gone", "evt_3", "{}", now, 0, now)), null);
        assertThat(queued).isEmpty();
        sender.close();
    }
}
