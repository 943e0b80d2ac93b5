package dev.tabrunner.port;

import dev.tabrunner.domain.WebhookDelivery;

/**
 * Where deliveries wait for their next attempt, durably: a directory the local server's delivery thread reads, an
 * SQS queue a function consumes on AWS. Whoever takes a delivery out sends it and, when it fails, puts the next
 * attempt back.
 */
public interface WebhookOutbox {
    /**
     * Keeps the delivery until it is due ({@link WebhookDelivery#notBefore()}).
     *
     * @throws StoreUnavailableException when it cannot be kept
     */
    void enqueue(WebhookDelivery delivery);
}
