package dev.tabrunner.browsing;

import dev.tabrunner.egress.UpstreamProxies;
import dev.tabrunner.http.ApiException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrowsingNodesTest {
    private static final UpstreamProxies US_PROXY = UpstreamProxies.from(Map.of("TABRUNNER_PROXY_US",
            "http://proxy.example:8080"));
    private final BrowsingNodes nodes = BrowsingNodes.from("de-1:de, us-1:US:proxy ,us-2:us:PROXY,lab", US_PROXY);

    @Test
    void theSetting_namesEachNodesUidCountryAndEgress() {
        assertThat(nodes.all()).containsExactly(new BrowsingNodes.Node("de-1", "DE", false),
                new BrowsingNodes.Node("us-1", "US", true), new BrowsingNodes.Node("us-2", "US", true),
                new BrowsingNodes.Node("lab", null, false));
        assertThat(nodes.all().get(0).proxyCountry()).isNull();
        assertThat(nodes.all().get(1).proxyCountry()).isEqualTo("us");
    }

    @Test
    void withoutTheSetting_thereIsOneDirectNode() {
        assertThat(BrowsingNodes.from(null, UpstreamProxies.none()).all())
                .containsExactly(new BrowsingNodes.Node("default", null, false));
        assertThat(BrowsingNodes.from(" ", UpstreamProxies.none()).all()).hasSize(1);
    }

    @Test
    void aMalformedSetting_stopsTheStart_namingTheEntry() {
        assertThatThrownBy(() -> BrowsingNodes.from("de-1:DE,de-1:DE", US_PROXY)).hasMessageContaining("twice");
        assertThatThrownBy(() -> BrowsingNodes.from("de 1:DE", US_PROXY)).hasMessageContaining("de 1");
        assertThatThrownBy(() -> BrowsingNodes.from("x:Germany", US_PROXY)).hasMessageContaining("Germany");
        assertThatThrownBy(() -> BrowsingNodes.from("x:DE:vpn", US_PROXY)).hasMessageContaining("vpn");
        assertThatThrownBy(() -> BrowsingNodes.from("x:DE:proxy:extra", US_PROXY)).hasMessageContaining("x:DE");
        assertThatThrownBy(() -> BrowsingNodes.from("fr-1:FR:proxy", US_PROXY))
                .hasMessageContaining("TABRUNNER_PROXY_FR");
        assertThatThrownBy(() -> BrowsingNodes.from("anywhere::proxy", US_PROXY)).hasMessageContaining("country");
        assertThatThrownBy(() -> BrowsingNodes.from(",", US_PROXY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eligible_byCountryOrUid_inTheOperatorsOrder() {
        assertThat(nodes.eligible(null)).hasSize(4);
        assertThat(nodes.eligible(new BrowsingRequest.ByCountry("US"))).extracting(BrowsingNodes.Node::uid)
                .containsExactly("us-1", "us-2");
        assertThat(nodes.eligible(new BrowsingRequest.ByNode("lab"))).extracting(BrowsingNodes.Node::uid)
                .containsExactly("lab");
    }

    @Test
    void noEligibleNode_is400_namingTheFilter() {
        assertThatThrownBy(() -> nodes.eligible(new BrowsingRequest.ByCountry("BR")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("filter.country_iso=BR").hasMessageContaining("de-1 (DE)");
        assertThatThrownBy(() -> nodes.eligible(new BrowsingRequest.ByNode("US-1")))
                .hasMessageContaining("filter.node_uid=US-1");
    }

    @Test
    void copies_goToDistinctNodesWhileThereAreEnough_thenAgain() {
        List<BrowsingNodes.Node> us = nodes.eligible(new BrowsingRequest.ByCountry("US"));

        assertThat(BrowsingNodes.spread(us, 2, 1)).extracting(BrowsingNodes.Node::uid)
                .containsExactly("us-2", "us-1");
        assertThat(BrowsingNodes.spread(us, 5, 0)).extracting(BrowsingNodes.Node::uid)
                .containsExactly("us-1", "us-2", "us-1", "us-2", "us-1");
        assertThat(BrowsingNodes.spread(nodes.all(), 3, 7)).extracting(BrowsingNodes.Node::uid).doesNotHaveDuplicates();
    }
}
