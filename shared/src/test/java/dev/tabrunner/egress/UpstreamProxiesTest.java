package dev.tabrunner.egress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpstreamProxiesTest {
    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void from_readsOneProxyPerConfiguredCountry() {
        UpstreamProxies proxies = UpstreamProxies.from(Map.of(
                "TABRUNNER_PROXY_US", "http://ada:s3cret@proxy-us.example:3128",
                "TABRUNNER_PROXY_FR", " http://proxy-fr.example ",
                "TABRUNNER_PROXY_DE", "",
                "TABRUNNER_PROXY_XX", "http://ignored.example:1"));

        assertThat(proxies.countries()).containsExactlyInAnyOrder("us", "fr");
        UpstreamProxies.Upstream us = proxies.forCountry("us").orElseThrow();
        assertThat(us.host()).isEqualTo("proxy-us.example");
        assertThat(us.port()).isEqualTo(3128);
        assertThat(us.authorization()).isEqualTo(basic("ada:s3cret"));
        UpstreamProxies.Upstream fr = proxies.forCountry("fr").orElseThrow();
        assertThat(fr.port()).isEqualTo(80);
        assertThat(fr.authorization()).isNull();
        assertThat(proxies.forCountry("de")).isEmpty();
        assertThat(proxies.forCountry(null)).isEmpty();
    }

    @Test
    void strict_whenTheDeploymentPromisesProxies_unlessTheOperatorSaysOtherwise() {
        assertThat(UpstreamProxies.none().strict()).isFalse();
        assertThat(UpstreamProxies.from(Map.of()).strict()).isFalse();
        assertThat(UpstreamProxies.from(Map.of("TABRUNNER_PROXY_US", "http://proxy.example:1")).strict()).isTrue();
        assertThat(UpstreamProxies.from(Map.of("TABRUNNER_PROXY_STRICT", "true")).strict()).isTrue();
        assertThat(UpstreamProxies.from(Map.of("TABRUNNER_PROXY_US", "http://proxy.example:1",
                "TABRUNNER_PROXY_STRICT", "FALSE")).strict()).isFalse();
        assertThatThrownBy(() -> UpstreamProxies.from(Map.of("TABRUNNER_PROXY_STRICT", "yes")))
                .hasMessageContaining("TABRUNNER_PROXY_STRICT");
    }

    @Test
    void forCountry_ignoresCase() {
        UpstreamProxies proxies = UpstreamProxies.from(Map.of("TABRUNNER_PROXY_JP", "http://jp.example:8080"));

        assertThat(proxies.forCountry("JP")).isPresent();
        assertThat(proxies.forCountry("jp")).isPresent();
    }

    @Test
    void credentials_arePercentDecoded_andAUserAloneGetsAnEmptyPassword() {
        UpstreamProxies proxies = UpstreamProxies.from(Map.of(
                "TABRUNNER_PROXY_US", "http://ada%40corp:p%3Ass%40w@proxy.example:8080",
                "TABRUNNER_PROXY_IT", "http://token@proxy.example:8080"));

        assertThat(proxies.forCountry("us").orElseThrow().authorization()).isEqualTo(basic("ada@corp:p:ss@w"));
        assertThat(proxies.forCountry("it").orElseThrow().authorization()).isEqualTo(basic("token:"));
    }

    @Test
    void toString_neverShowsTheCredentials() {
        UpstreamProxies.Upstream us = UpstreamProxies.from(Map.of("TABRUNNER_PROXY_US",
                "http://ada:s3cret@proxy.example:8080")).forCountry("us").orElseThrow();

        assertThat(us.toString()).isEqualTo("proxy.example:8080").doesNotContain("s3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://proxy.example:443", "socks5://proxy.example:1080", "proxy.example:8080",
            "http://", "http://pro xy.example", "http://ada:p@ss@proxy.example:8080", "http://proxy.example:0",
            "http://proxy.example:70000"})
    void from_refusesWhatIsNotAnHttpProxy_namingTheSettingButNotTheValue(String value) {
        assertThatThrownBy(() -> UpstreamProxies.from(Map.of("TABRUNNER_PROXY_CA", value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("TABRUNNER_PROXY_CA")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("proxy.example").doesNotContain("p@ss"));
    }

    @Test
    void none_hasNoCountries_andSettingNamesTheVariable() {
        assertThat(UpstreamProxies.none().countries()).isEmpty();
        assertThat(UpstreamProxies.setting("fi")).isEqualTo("TABRUNNER_PROXY_FI");
    }

    @Test
    void aProxyKeptInTheVault_isOfferedByTheApi_whichNeverSeesItsUrl() {
        UpstreamProxies api = UpstreamProxies.from(Map.of("TABRUNNER_PROXY_DE_CREDENTIAL_ID", "cred_de"));
        assertThat(api.offers("DE")).isTrue();
        assertThat(api.offers("us")).isFalse();
        assertThat(api.forCountry("de")).as("no URL on the API's side").isEmpty();
        assertThat(api.countries()).containsExactly("de");
        assertThat(api.strict()).as("a configured proxy is a promise").isTrue();
    }

    @Test
    void theWorker_readsTheUrlsOfVaultProxies_andLeavesOutWhatItCannotRead() {
        Map<String, String> settings = Map.of(
                "TABRUNNER_PROXY_DE_CREDENTIAL_ID", "cred_de",
                "TABRUNNER_PROXY_FR_CREDENTIAL_ID", "cred_gone",
                "TABRUNNER_PROXY_JP_CREDENTIAL_ID", "cred_broken",
                "TABRUNNER_PROXY_US", "http://plain.example:3128",
                "TABRUNNER_PROXY_US_CREDENTIAL_ID", "cred_us");
        Map<String, String> resolved = UpstreamProxies.withVaultProxies(settings, id -> switch (id) {
            case "cred_de" -> java.util.Optional.of("http://ada:s3cret@de.proxy.example:8080");
            case "cred_us" -> java.util.Optional.of("http://from-the-vault.example:1");
            case "cred_broken" -> throw new IllegalStateException("the vault is down");
            default -> java.util.Optional.empty();
        });
        UpstreamProxies worker = UpstreamProxies.from(resolved);
        assertThat(worker.forCountry("de")).get().hasToString("de.proxy.example:8080");
        assertThat(worker.forCountry("us")).as("a URL given outright wins").get()
                .hasToString("plain.example:3128");
        // unreadable: no proxy here, so a task that asks for one fails (proxy_not_configured) instead of going direct
        assertThat(worker.forCountry("fr")).isEmpty();
        assertThat(worker.forCountry("jp")).isEmpty();
        assertThat(settings).doesNotContainKey("TABRUNNER_PROXY_DE");
    }
}
