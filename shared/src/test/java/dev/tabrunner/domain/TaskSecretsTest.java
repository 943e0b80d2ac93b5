package dev.tabrunner.domain;

import dev.tabrunner.json.Json;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskSecretsTest {
    private final TaskSecrets secrets = new TaskSecrets(new LinkedHashMap<>(Map.of(
            "password", "hunter2&more", "pin", "4321", "password_long", "hunter2&more-and-then-some")));

    @Test
    void substitute_replacesBothPlaceholderForms_ofKnownNamesOnly() {
        assertThat(secrets.substitute("<secret>password</secret>")).isEqualTo("hunter2&more");
        assertThat(secrets.substitute("pin: {{ pin }}, {{unknown}}, <secret>nope</secret>"))
                .isEqualTo("pin: 4321, {{unknown}}, <secret>nope</secret>");
        assertThat(secrets.substitute("$1 \\ <secret>pin</secret>")).isEqualTo("$1 \\ 4321");
        assertThat(secrets.mentionsSecret("type {{pin}}")).isTrue();
        assertThat(secrets.mentionsSecret("type {{nope}}")).isFalse();
    }

    @Test
    void conceal_turnsValuesBackIntoPlaceholders_longestFirst_andUrlEncoded() throws Exception {
        assertThat(secrets.conceal("echo hunter2&more-and-then-some and hunter2&more"))
                .isEqualTo("echo <secret>password_long</secret> and <secret>password</secret>");
        assertThat(secrets.conceal("/login?pw=hunter2%26more")).isEqualTo("/login?pw=<secret>password</secret>");
        var json = Json.mapper().readTree("{\"hunter2&more\":[\"x 4321 y\",{\"v\":\"4321\"}],\"n\":4321}");
        assertThat(secrets.conceal(json).toString()).isEqualTo("{\"<secret>password</secret>\":[\"x <secret>pin"
                + "</secret> y\",{\"v\":\"<secret>pin</secret>\"}],\"n\":4321}");
    }

    @Test
    void toString_showsNamesOnly() {
        assertThat(secrets.toString()).contains("password").doesNotContain("hunter2");
    }

    @Test
    void shortValues_andBadNames_areRefused() {
        assertThatThrownBy(() -> new TaskSecrets(Map.of("a", "123"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskSecrets(Map.of("1a", "1234"))).isInstanceOf(IllegalArgumentException.class);
    }
}
