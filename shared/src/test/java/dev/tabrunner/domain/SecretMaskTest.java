package dev.tabrunner.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.json.Json;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

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

    @Test
    void apply_hidesEveryEncodedForm_rawPercentFormHtmlAndJsonEscaped_alsoMixed() {
        SecretMask mask = new SecretMask();
        mask.add("P&ss w\u00f6rd<1>", "[REDACTED]");
        String value = "P&ss w\u00f6rd<1>";
        List<String> forms = List.of(value,
                URLEncoder.encode(value, StandardCharsets.UTF_8),
                URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"),
                URLEncoder.encode(value, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT).replace("p", "P"),
                "P&amp;ss w\u00f6rd&lt;1&gt;",
                "P&#38;ss&#32;w&#246;rd&#x3C;1&#x3e;",
                "P\\u0026ss w\\u00f6rd\\u003c1\\u003e",
                "P%26ss+w\u00f6rd&lt;1%3E");
        for (String form : forms) {
            assertThat(mask.apply("before " + form + " after")).as(form).isEqualTo("before [REDACTED] after");
            assertThat(mask.reveals(form)).as(form).isTrue();
        }
        assertThat(mask.reveals("P&ss w\u00f6rd<2>")).isFalse();
    }

    @Test
    void apply_takesLittleTime_onAMegabyteOfPage_andBacktracksOnlyTheSecretsLength_onNearMisses() {
        SecretMask mask = new SecretMask();
        mask.add("aaaaaaaaaaaaaaab", "[x]");
        java.util.Random random = new java.util.Random(1);
        StringBuilder page = new StringBuilder();
        while (page.length() < 1_000_000) {
            page.append((char) ('a' + random.nextInt(26))).append(random.nextInt(8) == 0 ? " " : "");
        }
        long t0 = System.nanoTime();
        assertThat(mask.apply(page.toString())).isEqualTo(page.toString());
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000);
        // each position tries at most the secret's length, never more: no catastrophic backtracking
        String nearMisses = "a".repeat(100_000);
        t0 = System.nanoTime();
        assertThat(mask.apply(nearMisses)).isEqualTo(nearMisses);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(1_000);
    }
}
