package dev.tabrunner.json;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Seed 001's {@code maxDuration: 300000.0}: a whole number is one however JSON spells it. */
class JsonNumbersTest {
    @ParameterizedTest
    @ValueSource(strings = {"300000", "300000.0", "300000.000", "3e5", "3E5", "3.0E5", "3e+5", "30000000e-2"})
    void everySpellingOfAWholeNumber_isThatNumber(String json) throws Exception {
        assertThat(JsonNumbers.integral(Json.mapper().readTree(json))).contains(BigInteger.valueOf(300_000));
        assertThat(JsonNumbers.clampedLong(Json.mapper().readTree(json))).contains(300_000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "300000.01", "\"300000\"", "true", "null", "[1]", "{}", "1e-3"})
    void fractionsAndNonNumbers_areNotWholeNumbers(String json) throws Exception {
        assertThat(JsonNumbers.integral(Json.mapper().readTree(json))).isEmpty();
        assertThat(JsonNumbers.isIntegral(Json.mapper().readTree(json))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e300", "18446744073709551617", "-1e300", "-18446744073709551617"})
    void numbersPastLong_areClampedToItsEnds_neverWrappedAround(String json) throws Exception {
        long clamped = JsonNumbers.clampedLong(Json.mapper().readTree(json)).orElseThrow();
        assertThat(clamped).isEqualTo(json.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e999999", "-1e999999"})
    void infinity_isNotAWholeNumber(String json) throws Exception {
        assertThat(JsonNumbers.integral(Json.mapper().readTree(json))).isEmpty();
    }
}
