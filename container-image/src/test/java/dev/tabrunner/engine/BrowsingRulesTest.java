package dev.tabrunner.engine;

import dev.tabrunner.domain.BrowsingOptions;
import dev.tabrunner.egress.UpstreamProxies;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrowsingRulesTest {
    private final UpstreamProxies proxies = UpstreamProxies.from(Map.of("TABRUNNER_PROXY_US",
            "http://ada:pw@proxy.example:3128"));

    private BrowsingRules rules(List<String> allowed, boolean adblock, String country) {
        return BrowsingRules.of(new BrowsingOptions(allowed, adblock, country, false), proxies);
    }

    @Test
    void none_refusesNothing_andConnectsDirectly() {
        assertThat(BrowsingRules.NONE.refuse("ad.doubleclick.net")).isNull();
        assertThat(BrowsingRules.NONE.upstream()).isNull();
        assertThat(BrowsingRules.of(BrowsingOptions.NONE, proxies).refuse("anything.example")).isNull();
    }

    @Test
    void allowedDomains_refuseEveryOtherHost_withAReasonThatSaysWhy() {
        BrowsingRules r = rules(List.of("shop.example", "*.cdn.example"), false, null);

        assertThat(r.refuse("shop.example")).isNull();
        assertThat(r.refuse("img.cdn.example")).isNull();
        assertThat(r.refuse("www.shop.example")).isEqualTo("www.shop.example is not in the task's allowed_domains");
        assertThat(BrowsingRules.isTaskRefusal(r.refuse("evil.example"))).isTrue();
    }

    @Test
    void adblock_refusesListedHosts_evenInsideTheAllowedDomains() {
        BrowsingRules r = rules(List.of(".doubleclick.net", "shop.example"), true, null);

        assertThat(r.refuse("ad.doubleclick.net")).isEqualTo("ad.doubleclick.net is blocked by the ad blocker");
        assertThat(r.refuse("shop.example")).isNull();
        assertThat(rules(List.of(), false, null).refuse("ad.doubleclick.net")).isNull();
    }

    @Test
    void operatorReasons_areNotTaskRefusals() {
        assertThat(BrowsingRules.isTaskRefusal("10.0.0.1 is a private address")).isFalse();
        assertThat(BrowsingRules.isTaskRefusal(null)).isFalse();
    }

    @Test
    void proxyCountry_picksTheOperatorsProxy_inEitherCase() {
        BrowsingRules r = rules(List.of(), false, "US");

        assertThat(r.upstream().toString()).isEqualTo("proxy.example:3128");
        assertThat(r.country()).isEqualTo("us");
    }

    @Test
    void proxyCountryWithoutAProxy_failsTheTask_namingTheSetting() {
        assertThatThrownBy(() -> rules(List.of(), false, "fr")).isInstanceOfSatisfying(ActionFailure.class, f -> {
            assertThat(f.status()).isEqualTo(422);
            assertThat(f.code()).isEqualTo("proxy_not_configured");
            assertThat(f.getMessage()).contains("'fr'").contains("TABRUNNER_PROXY_FR");
        });
        assertThatThrownBy(() -> rules(List.of(), false, "br")).isInstanceOfSatisfying(ActionFailure.class,
                f -> assertThat(f.getMessage()).contains("no proxy country 'br'").contains("us, fr"));
    }

    @Test
    void invalidAllowedDomain_isABadRequest() {
        assertThatThrownBy(() -> rules(List.of("not a host"), false, null))
                .isInstanceOfSatisfying(ActionFailure.class, f -> assertThat(f.code()).isEqualTo("invalid_request"));
    }
}
