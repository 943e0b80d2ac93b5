package dev.tabrunner.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OriginPatternTest {
    private final OriginPattern exact = OriginPattern.parse("https://app.example.com");
    private final OriginPattern wildcard = OriginPattern.parse("https://*.example.com");

    @Test
    void exactOrigin_matchesOnlyThatSchemeHostAndPort() {
        assertThat(exact.matches("https://app.example.com/login?x=1")).isTrue();
        assertThat(exact.matches("https://APP.example.com./login")).isTrue();
        assertThat(exact.matches("https://app.example.com:443/")).isTrue();
        assertThat(exact.matches("https://app.example.com:8443/")).isFalse();
        assertThat(exact.matches("https://other.example.com/")).isFalse();
        assertThat(exact.matches("https://example.com/")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com.evil.io/login", "https://evil.io/?q=app.example.com",
            "https://evil.io/app.example.com", "http://app.example.com/login", "https://app.example.com@evil.io/",
            "https://evilapp.example.com/", "javascript:alert('https://app.example.com')", "not a url", "",
            "https://xapp.example.com/"})
    void lookalikes_neverMatch(String url) {
        assertThat(exact.matches(url)).isFalse();
    }

    @Test
    void wildcard_matchesSubdomainsOnly_whenRegisteredThatWay() {
        assertThat(wildcard.matches("https://a.example.com/")).isTrue();
        assertThat(wildcard.matches("https://a.b.example.com/")).isTrue();
        assertThat(wildcard.matches("https://example.com/")).isFalse();
        assertThat(wildcard.matches("https://example.com.evil.io/")).isFalse();
        assertThat(wildcard.matches("https://badexample.com/")).isFalse();
        assertThat(wildcard.matches("http://a.example.com/")).isFalse();
        assertThat(wildcard.toString()).isEqualTo("https://*.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.example.com", "ftp://example.com", "https://example.com/path", "https://*",
            "https://a.*.com", "https://user@example.com", "https://example.com?q=1", "https://*.com"})
    void parse_refusesAnythingButAnOrigin(String text) {
        assertThatThrownBy(() -> OriginPattern.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parse_normalises() {
        assertThat(OriginPattern.parse("HTTPS://App.Example.com:443/").toString()).isEqualTo("https://app.example.com");
        assertThat(OriginPattern.parse("http://127.0.0.1:8080").toString()).isEqualTo("http://127.0.0.1:8080");
    }
}
