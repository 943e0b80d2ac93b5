package dev.tabrunner.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskTest {
    @Test
    void apply_replacesTheLongerValueWhole_whicheverWasAddedFirst() {
        SecretMask mask = new SecretMask();
        mask.add("123456", "[code]");
        mask.add("pass123456", "[password]");

        assertThat(mask.apply("pass123456 then 123456")).isEqualTo("[password] then [code]");
    }

    @Test
    void apply_replacesUrlEncodedForms_withSpacesEitherWay() {
        SecretMask mask = new SecretMask();
        mask.add("my pass&word", "[REDACTED]");

        assertThat(mask.apply("?a=my+pass%26word&b=my%20pass%26word&c=my pass&word"))
                .isEqualTo("?a=[REDACTED]&b=[REDACTED]&c=[REDACTED]");
    }

    @Test
    void add_ignoresShortAndNullValues_andKeepsTheFirstReplacementOfAValue() {
        SecretMask mask = new SecretMask();
        mask.add("abc", "[x]");
        mask.add(null, "[x]");
        assertThat(mask.isEmpty()).isTrue();

        mask.add("abcd", "[first]");
        mask.add("abcd", "[second]");
        assertThat(mask.apply("abc abcd")).isEqualTo("abc [first]");
        assertThat(mask.apply((String) null)).isNull();
    }

    @Test
    void apply_walksJson_keysAndStrings_andLeavesNumbersAlone() throws Exception {
        SecretMask mask = new SecretMask();
        JsonNode json = Json.mapper().readTree("{\"s3cret\":[\"x s3cret\",{\"v\":\"s3cret\"}],\"n\":1234}");
        assertThat(mask.apply(json)).isSameAs(json);

        mask.add("s3cret", "[REDACTED]");
        mask.add("1234", "[REDACTED]");
        assertThat(mask.apply(json).toString())
                .isEqualTo("{\"[REDACTED]\":[\"x [REDACTED]\",{\"v\":\"[REDACTED]\"}],\"n\":1234}");
    }
}
