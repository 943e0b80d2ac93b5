package dev.tabrunner.egress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DomainAllowListTest {
    @Test
    void plainDomain_allowsThatHostOnly() {
        DomainAllowList list = DomainAllowList.of(List.of("example.com"));

        assertThat(list.allows("example.com")).isTrue();
        assertThat(list.allows("EXAMPLE.com.")).isTrue();
        assertThat(list.allows("www.example.com")).isFalse();
        assertThat(list.allows("notexample.com")).isFalse();
        assertThat(list.allows("example.com.evil.test")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*.example.com", ".example.com", "*.EXAMPLE.com."})
    void wildcard_allowsTheDomainAndEverySubdomain(String entry) {
        DomainAllowList list = DomainAllowList.of(List.of(entry));

        assertThat(list.allows("example.com")).isTrue();
        assertThat(list.allows("www.example.com")).isTrue();
        assertThat(list.allows("a.b.example.com")).isTrue();
        assertThat(list.allows("badexample.com")).isFalse();
        assertThat(list.allows("example.com.evil.test")).isFalse();
    }

    @Test
    void covers_onlyEntriesThatAllowNothingTheListRefuses() {
        DomainAllowList list = DomainAllowList.of(List.of(".example.com", "shop.example.org"));

        assertThat(list.covers("example.com")).isTrue();
        assertThat(list.covers("a.example.com")).isTrue();
        assertThat(list.covers(".a.example.com")).isTrue();
        assertThat(list.covers("*.example.com")).isTrue();
        assertThat(list.covers("shop.example.org")).isTrue();
        assertThat(list.covers(".shop.example.org")).as("its subdomains are outside").isFalse();
        assertThat(list.covers("example.org")).isFalse();
        assertThat(list.covers(".com")).isFalse();
        assertThat(list.covers("not a domain")).isFalse();
        assertThat(DomainAllowList.of(List.of()).covers(".anything.test")).isTrue();
    }

    @Test
    void emptyList_allowsEverything_butAListRefusesAMissingHost() {
        assertThat(DomainAllowList.of(List.of()).isEmpty()).isTrue();
        assertThat(DomainAllowList.of(List.of()).allows("anything.test")).isTrue();
        assertThat(DomainAllowList.of(List.of("example.com")).allows(null)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "https://example.com/path?q=1#top, example.com",
            "http://example.com:8080, example.com",
            "https://user:pw@Example.com/, example.com",
            "example.com., example.com",
            "  Example.COM  , example.com",
            "*.example.com, .example.com",
            "https://*.example.com/, .example.com",
            "bücher.example, xn--bcher-kva.example",
            "127.0.0.1, 127.0.0.1",
            "http://127.0.0.1:8080/x, 127.0.0.1",
            "0x7f.1, 127.0.0.1",
            "[::1], 0:0:0:0:0:0:0:1",
            "http://[::1]:8080/, 0:0:0:0:0:0:0:1",
            "example.com/path, example.com",
            "localhost, localhost"
    })
    void normalize_keepsOnlyTheHost_inTheFormTheProxySees(String entry, String expected) {
        assertThat(DomainAllowList.normalize(entry)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "*", "*.", "exa mple.com", "example..com", "-example.com",
            "http://", "*.127.0.0.1", "1.2.3.4.5", "[::1", "[zz::1]", "example.com:80:80x"})
    void normalize_refusesWhatIsNotAHost(String entry) {
        assertThat(DomainAllowList.normalize(entry)).isEmpty();
    }

    @Test
    void of_namesTheInvalidEntry() {
        assertThatThrownBy(() -> DomainAllowList.of(List.of("example.com", "not a domain")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a domain");
    }

    @Test
    void addresses_matchInEverySpellingTheBrowserAccepts() {
        DomainAllowList list = DomainAllowList.of(List.of("127.0.0.1", "[::1]"));

        assertThat(list.allows("127.0.0.1")).isTrue();
        assertThat(list.allows("2130706433")).isTrue();
        assertThat(list.allows("0177.0.0.1")).isTrue();
        assertThat(list.allows("[::1]")).isTrue();
        assertThat(list.allows("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(list.allows("127.0.0.2")).isFalse();
        assertThat(list.allows("999.1.1.1")).isFalse();
    }

    @Test
    void internationalizedNames_matchTheirAsciiForm() {
        DomainAllowList list = DomainAllowList.of(List.of("*.bücher.example"));

        assertThat(list.allows("shop.xn--bcher-kva.example")).isTrue();
        assertThat(list.entries()).containsExactly(".xn--bcher-kva.example");
    }

    @Test
    void entries_areCanonical() {
        assertThat(DomainAllowList.of(List.of("https://A.example/x", "*.b.example")).entries())
                .containsExactly("a.example", ".b.example");
    }
}
