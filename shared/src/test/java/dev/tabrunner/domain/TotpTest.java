package dev.tabrunner.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TotpTest {
    private static final byte[] SHA1_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA256_KEY = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHA512_KEY = ("1234567890123456789012345678901234567890123456789012345678901234")
            .getBytes(StandardCharsets.US_ASCII);

    /** The test vectors of RFC 6238, appendix B. */
    @ParameterizedTest
    @CsvSource({
            "59, 94287082, 46119246, 90693936",
            "1111111109, 07081804, 68084774, 25091201",
            "1111111111, 14050471, 67062674, 99943326",
            "1234567890, 89005924, 91819424, 93441116",
            "2000000000, 69279037, 90698825, 38618901",
            "20000000000, 65353130, 77737706, 47863826"})
    void code_matchesRfc6238Vectors(long time, String sha1, String sha256, String sha512) {
        assertThat(Totp.code(SHA1_KEY, time, 8, "HmacSHA1")).isEqualTo(sha1);
        assertThat(Totp.code(SHA256_KEY, time, 8, "HmacSHA256")).isEqualTo(sha256);
        assertThat(Totp.code(SHA512_KEY, time, 8, "HmacSHA512")).isEqualTo(sha512);
    }

    @Test
    void base32Secret_givesTheSameCodeAsTheRawKey() {
        // "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" is base32 of "12345678901234567890"
        assertThat(Totp.base32("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ")).isEqualTo(SHA1_KEY);
        assertThat(Totp.code("gezdgnbvgy3tqojqgezdgnbvgy3tqojq", 59)).isEqualTo("287082");
    }

    @Test
    void secondsLeft_countsDownWithinTheWindow() {
        assertThat(Totp.secondsLeft(0)).isEqualTo(30);
        assertThat(Totp.secondsLeft(29)).isEqualTo(1);
        assertThat(Totp.secondsLeft(30)).isEqualTo(30);
    }

    @Test
    void base32_refusesOtherCharacters() {
        assertThatThrownBy(() -> Totp.base32("not*base32")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Totp.base32("")).isInstanceOf(IllegalArgumentException.class);
    }
}
