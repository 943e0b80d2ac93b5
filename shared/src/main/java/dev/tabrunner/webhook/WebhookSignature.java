package dev.tabrunner.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * How deliveries are signed: HMAC-SHA256 with the endpoint's secret over {@code timestamp + "." + body}, hex,
 * sent as {@code Tabrunner-Signature: v1=<hex>} beside {@code Tabrunner-Timestamp: <unix seconds>}. The timestamp
 * inside the signed text lets a receiver refuse replays of old deliveries.
 */
public final class WebhookSignature {
    public static final String SIGNATURE_HEADER = "Tabrunner-Signature";
    public static final String TIMESTAMP_HEADER = "Tabrunner-Timestamp";
    public static final String EVENT_HEADER = "Tabrunner-Event-Id";

    private WebhookSignature() {
    }

    /** {@code v1=} and the hex HMAC-SHA256 of {@code timestamp.body} under {@code secret}. */
    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1=" + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
