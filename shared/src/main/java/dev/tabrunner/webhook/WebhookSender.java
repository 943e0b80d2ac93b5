package dev.tabrunner.webhook;

import dev.tabrunner.domain.CredentialSecret;
import dev.tabrunner.domain.Webhook;
import dev.tabrunner.domain.WebhookDelivery;
import dev.tabrunner.egress.EgressPolicy;
import dev.tabrunner.port.CredentialVault;
import dev.tabrunner.port.WebhookStore;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.conn.DnsResolver;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Makes one attempt at a delivery: signs it with the endpoint's secret and POSTs it, through the egress guard - the
 * endpoint's host is resolved by the {@link EgressPolicy}, and the connection goes to an address it allowed, so an
 * endpoint that is (or is made to resolve to) an internal address is refused like a page's request would be
 * ({@code TABRUNNER_EGRESS_ALLOW} applies). A 2xx answer delivers; anything else is tried again with exponential
 * backoff (30 s doubling, at most an hour apart) until 24 hours after the event. Redirects are not followed.
 */
public final class WebhookSender implements AutoCloseable {
    /** How long after its event a delivery is given up. */
    public static final Duration GIVE_UP_AFTER = Duration.ofHours(24);
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration LONGEST_WAIT = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final int TIMEOUT_MS = 10_000;

    private final WebhookStore webhooks;
    private final CredentialVault vault;
    private final Clock clock;
    private final CloseableHttpClient http;

    public WebhookSender(WebhookStore webhooks, CredentialVault vault, EgressPolicy egress, Clock clock) {
        this.webhooks = webhooks;
        this.vault = vault;
        this.clock = clock;
        RequestConfig timeouts = RequestConfig.custom().setConnectTimeout(TIMEOUT_MS)
                .setConnectionRequestTimeout(TIMEOUT_MS).setSocketTimeout(TIMEOUT_MS).build();
        this.http = HttpClients.custom().setDnsResolver(guarded(egress)).setDefaultRequestConfig(timeouts)
                .disableRedirectHandling().disableCookieManagement().disableAutomaticRetries()
                .setUserAgent("Tabrunner-Webhook/1").build();
    }

    /** What became of one attempt. */
    public sealed interface Outcome permits Delivered, Retry, GivenUp, Dropped {
    }

    /** The receiver answered 2xx. */
    public record Delivered(int status) implements Outcome {
    }

    /** Not yet: the next attempt is {@code next}, due at its {@code notBefore}. */
    public record Retry(WebhookDelivery next, String reason) implements Outcome {
    }

    /** Attempts ran out (24 hours after the event). */
    public record GivenUp(String reason) implements Outcome {
    }

    /** The endpoint (or its secret) was deleted: nothing to send to. */
    public record Dropped() implements Outcome {
    }

    /** Only addresses the egress policy allows, whatever the DNS answer: a refusal fails the connection. */
    private static DnsResolver guarded(EgressPolicy egress) {
        return host -> {
            EgressPolicy.Verdict v = egress.checkHost(host);
            if (!v.allowed()) {
                throw new UnknownHostException(v.reason());
            }
            return v.addresses().toArray(new InetAddress[0]);
        };
    }

    public Outcome attempt(WebhookDelivery d) {
        Optional<Webhook> webhook = webhooks.find(d.tenantId(), d.webhookId());
        Optional<CredentialSecret> secret = webhook.flatMap(w -> vault.get(w.tenantId(), w.secretId()));
        if (webhook.isEmpty() || secret.isEmpty()) {
            return new Dropped();
        }
        String failure;
        try {
            int status = post(webhook.get().url(), secret.get().password(), d);
            if (status >= 200 && status < 300) {
                LOG.atInfo().addKeyValue("event", "webhook.delivered").addKeyValue("webhookId", d.webhookId())
                        .addKeyValue("eventId", d.eventId()).addKeyValue("attempt", d.attempt() + 1)
                        .addKeyValue("status", status).log("webhook {} received event {}", d.webhookId(),
                                d.eventId());
                return new Delivered(status);
            }
            failure = "answered " + status;
        } catch (IOException e) {
            failure = e instanceof UnknownHostException ? "refused or unresolved: " + e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        Instant next = clock.instant().plus(backoff(d.attempt()));
        if (next.isAfter(d.createdAt().plus(GIVE_UP_AFTER))) {
            LOG.atWarn().addKeyValue("event", "webhook.given_up").addKeyValue("webhookId", d.webhookId())
                    .addKeyValue("eventId", d.eventId()).addKeyValue("attempts", d.attempt() + 1)
                    .log("gave up delivering event {} to webhook {}: {}", d.eventId(), d.webhookId(), failure);
            return new GivenUp(failure);
        }
        LOG.atInfo().addKeyValue("event", "webhook.retry").addKeyValue("webhookId", d.webhookId())
                .addKeyValue("eventId", d.eventId()).addKeyValue("attempt", d.attempt() + 1)
                .log("webhook {} did not take event {} ({}); next attempt at {}", d.webhookId(), d.eventId(),
                        failure, next);
        return new Retry(d.retryAt(next), failure);
    }

    /** 30 s, 1 min, 2 min, ... at most an hour: about 30 attempts in the 24 hours. */
    static Duration backoff(int attemptsBefore) {
        Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(attemptsBefore, 20));
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }

    private int post(String url, String secret, WebhookDelivery d) throws IOException {
        long timestamp = clock.instant().getEpochSecond();
        HttpPost post = new HttpPost(url);
        post.setHeader(WebhookSignature.EVENT_HEADER, d.eventId());
        post.setHeader(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
        post.setHeader(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, d.body()));
        post.setEntity(new StringEntity(d.body(), ContentType.APPLICATION_JSON));
        try (CloseableHttpResponse r = http.execute(post)) {
            EntityUtils.consumeQuietly(r.getEntity());
            return r.getStatusLine().getStatusCode();
        }
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            // closing the pool: nothing left to do
        }
    }
}
