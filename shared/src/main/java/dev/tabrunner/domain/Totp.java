package dev.tabrunner.domain;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Locale;

/** Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), as authenticator apps compute them. */
public final class Totp {
    public static final int PERIOD_SECONDS = 30;

    private Totp() {
    }

    /** The code for the given Unix time, with {@code digits} digits and the named HMAC ("HmacSHA1", ...). */
    public static String code(byte[] key, long unixSeconds, int digits, String algorithm) {
        long counter = Math.floorDiv(unixSeconds, PERIOD_SECONDS);
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, "RAW"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            int otp = binary % (int) Math.pow(10, digits);
            return String.format(Locale.ROOT, "%0" + digits + "d", otp);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC unavailable", e);
        }
    }

    /** The usual authenticator-app code: base32 secret, SHA-1, 6 digits. */
    public static String code(String base32Secret, long unixSeconds) {
        return code(base32(base32Secret), unixSeconds, 6, "HmacSHA1");
    }

    /** Seconds left before the code for {@code unixSeconds} changes. */
    public static int secondsLeft(long unixSeconds) {
        return PERIOD_SECONDS - (int) Math.floorMod(unixSeconds, PERIOD_SECONDS);
    }

    /**
     * Decodes RFC 4648 base32 (case-insensitive; spaces, dashes and padding ignored).
     *
     * @throws IllegalArgumentException on any other character
     */
    public static byte[] base32(String text) {
        String s = text.replace(" ", "").replace("-", "").replace("=", "").toUpperCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty base32 secret");
        }
        ByteBuffer out = ByteBuffer.allocate(s.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (char c : s.toCharArray()) {
            int v;
            if (c >= 'A' && c <= 'Z') {
                v = c - 'A';
            } else if (c >= '2' && c <= '7') {
                v = c - '2' + 26;
            } else {
                throw new IllegalArgumentException("not base32");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        byte[] result = new byte[out.position()];
        out.flip().get(result);
        return result;
    }
}
