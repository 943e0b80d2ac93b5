package dev.tabrunner.local;

import dev.tabrunner.adapter.local.LocalDirectoryWebhookOutbox;
import dev.tabrunner.webhook.WebhookSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * The local server's webhook deliveries: each pass sends what the outbox holds that is due, one at a time, and puts
 * a failed delivery back for its next attempt (the outbox is a directory, so a restart resumes where it stopped).
 * On AWS a function consumes the queue instead ({@code dev.tabrunner.aws.WebhookHandler}).
 */
final class WebhookPump {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookPump.class);
    private static final int BATCH = 50;

    private final LocalDirectoryWebhookOutbox outbox;
    private final WebhookSender sender;
    private final Clock clock;

    WebhookPump(LocalDirectoryWebhookOutbox outbox, WebhookSender sender, Clock clock) {
        this.outbox = outbox;
        this.sender = sender;
        this.clock = clock;
    }

    /** One pass; returns how many deliveries were attempted. */
    int pass() {
        int attempted = 0;
        for (LocalDirectoryWebhookOutbox.Waiting w : outbox.due(clock.instant(), BATCH)) {
            attempted++;
            switch (sender.attempt(w.delivery())) {
                case WebhookSender.Retry retry -> outbox.enqueue(retry.next());
                case WebhookSender.Delivered delivered -> {
                    // done
                }
                case WebhookSender.GivenUp givenUp -> {
                    // logged by the sender
                }
                case WebhookSender.Dropped dropped ->
                        LOG.debug("webhook {} is gone; dropped its delivery", w.delivery().webhookId());
            }
            outbox.remove(w.file());
        }
        return attempted;
    }
}
