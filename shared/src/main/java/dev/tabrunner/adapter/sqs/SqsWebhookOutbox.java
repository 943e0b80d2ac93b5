package dev.tabrunner.adapter.sqs;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tabrunner.domain.WebhookDelivery;
import dev.tabrunner.json.Json;
import dev.tabrunner.port.StoreUnavailableException;
import dev.tabrunner.port.WebhookOutbox;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Clock;
import java.time.Duration;

/**
 * The outbox on AWS: an SQS queue the webhook function consumes. A delivery due later waits in the queue as a
 * delayed message; SQS delays a message at most 15 minutes, so one due later arrives early and the function puts
 * it back for the rest of its wait.
 */
public final class SqsWebhookOutbox implements WebhookOutbox {
    /** The longest delay SQS gives a message. */
    public static final Duration LONGEST_DELAY = Duration.ofMinutes(15);

    private final SqsClient sqs;
    private final String queueUrl;
    private final Clock clock;

    public SqsWebhookOutbox(SqsClient sqs, String queueUrl, Clock clock) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.clock = clock;
    }

    @Override
    public void enqueue(WebhookDelivery d) {
        long wait = Math.max(0, Duration.between(clock.instant(), d.notBefore()).toSeconds());
        int delay = (int) Math.min(wait, LONGEST_DELAY.toSeconds());
        try {
            String body = Json.mapper().writeValueAsString(d);
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body).delaySeconds(delay));
        } catch (JsonProcessingException | SdkException e) {
            throw new StoreUnavailableException("could not queue webhook delivery " + d.id(), e);
        }
    }

    /** Reads a message this outbox sent. */
    public static WebhookDelivery read(String body) {
        try {
            return Json.mapper().readValue(body, WebhookDelivery.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a webhook delivery: " + e.getOriginalMessage());
        }
    }
}
