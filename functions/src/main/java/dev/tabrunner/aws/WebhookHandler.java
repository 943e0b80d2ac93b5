package dev.tabrunner.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tabrunner.adapter.aws.AwsAdapters;
import dev.tabrunner.adapter.aws.AwsClients;
import dev.tabrunner.adapter.aws.AwsSettings;
import dev.tabrunner.adapter.sqs.SqsWebhookOutbox;
import dev.tabrunner.domain.WebhookDelivery;
import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.port.WebhookOutbox;
import dev.tabrunner.webhook.WebhookSender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Consumes the webhook queue on AWS: each message is one delivery. A delivery arriving before it is due (SQS delays
 * at most 15 minutes) goes back for the rest of its wait; a due one is sent, and when the receiver does not take it
 * the next attempt is queued with its backoff. Nothing is left to SQS's own retries: a message is done when this
 * returns, so a failure to queue the next attempt is the only error, and SQS then redelivers the message.
 */
public final class WebhookHandler implements RequestHandler<SQSEvent, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookHandler.class);

    private final WebhookSender sender;
    private final WebhookOutbox outbox;
    private final Clock clock;

    /** What Lambda calls: adapters from the function's environment. */
    public WebhookHandler() {
        this(AwsAdapters.create(AwsClients.create(AwsSettings.from(System.getenv()), System.getenv()),
                AwsSettings.from(System.getenv())), Clock.systemUTC());
    }

    private WebhookHandler(AwsAdapters aws, Clock clock) {
        this(new WebhookSender(aws.webhooks(), aws.vault(),
                EgressPolicy.fromAllowList(System.getenv("TABRUNNER_EGRESS_ALLOW")), clock),
                AwsSettings.required(aws.webhookOutbox(), "TABRUNNER_WEBHOOK_QUEUE_URL"), clock);
    }

    /** For tests: a sender and an outbox of the caller's. */
    public WebhookHandler(WebhookSender sender, WebhookOutbox outbox, Clock clock) {
        this.sender = sender;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public Void handleRequest(SQSEvent event, Context context) {
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            WebhookDelivery d;
            try {
                d = SqsWebhookOutbox.read(m.getBody());
            } catch (IllegalArgumentException e) {
                LOG.warn("dropping message {}: {}", m.getMessageId(), e.getMessage());
                continue;
            }
            if (d.notBefore().isAfter(clock.instant())) {
                outbox.enqueue(d);
                continue;
            }
            if (sender.attempt(d) instanceof WebhookSender.Retry retry) {
                outbox.enqueue(retry.next());
            }
        }
        return null;
    }
}
