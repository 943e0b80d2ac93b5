package dev.tabrunner.egress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EgressPolicyTest {
    /** A DNS of its own, so that tests never depend on the machine's resolver. */
    private static final Map<String, String> DNS = Map.of(
            "public.example", "93.184.215.14",
            "rebind.example", "169.254.169.254",
            "mixed.example", "93.184.215.14,10.0.0.7",
            "fixture.test", "127.0.0.1",
            "v6.example", "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
            "mapped.example", "::ffff:192.168.1.1",
            "xn--bcher-kva.test", "93.184.215.15",
            "shop1.test", "93.184.215.16");

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String v = DNS.get(host);
        if (v == null) {
            throw new UnknownHostException(host);
        }
        String[] parts = v.split(",");
        InetAddress[] out = new InetAddress[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = InetAddress.getByName(parts[i]);
        }
        return out;
    }

    private final EgressPolicy defaults = EgressPolicy.fromAllowList(null, EgressPolicyTest::resolve);

    @ParameterizedTest
    @ValueSource(strings = {
        "http://169.254.169.254/latest/meta-data/", "http://2852039166/", "http://0xa9fea9fe/",
        "http://0251.0376.0251.0376/", "http://169.254.43518/", "http://0xa9.0xfe.0xa9.0xfe/",
        "http://[::ffff:169.254.169.254]/", "http://[::ffff:a9fe:a9fe]/", "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2002:a9fe:a9fe::1]/", "http://169.254.169.254./", "http://[fd00:ec2::254]/",
        "http://metadata.google.internal/", "http://instance-data/", "http://rebind.example/"})
    void metadataAddress_isBlocked_inEverySpelling(String url) {
        var v = defaults.checkUrl(url);
        assertThat(v.allowed()).as(url).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1/", "http://127.1/", "http://2130706433/", "http://0x7f000001/", "http://0177.0.0.1/",
        "http://017700000001/", "http://127.0.0.1./", "http://localhost/", "http://localhost./",
        "http://LOCALHOST/", "http://foo.localhost/", "http://[::1]/", "http://[::ffff:127.0.0.1]/",
        "http://[0:0:0:0:0:ffff:7f00:1]/", "http://0.0.0.0/", "http://0/", "http://[::]/",
        "http://10.1.2.3/", "http://172.16.0.1/", "http://172.31.255.255/", "http://192.168.0.1/",
        "http://100.64.0.1/", "http://[fc00::1]/", "http://[fe80::1]/", "http://224.0.0.1/",
        "http://255.255.255.255/", "http://mixed.example/", "http://mapped.example/", "https://10.0.0.1:8443/x",
        // IPv6 forms that carry an internal IPv4 address: IPv4-translated, NAT64 (well-known and local-use), 6to4,
        // Teredo (relay, and client bit-inverted)
        "http://[::ffff:0:7f00:1]/", "http://[::ffff:0:127.0.0.1]/", "http://[64:ff9b::7f00:1]/",
        "http://[64:ff9b::10.0.0.1]/", "http://[64:ff9b:1::a00:1]/", "http://[64:ff9b:1:ffff::1]/",
        "http://[2002:7f00:1::1]/", "http://[2002:c0a8:101::]/", "http://[2001:0:7f00:1::1]/",
        "http://[2001:0:0808:0808:0:0:80ff:fffe]/", "http://[2001:0:a9fe:a9fe::]/"})
    void loopbackPrivateAndSpecialAddresses_areBlocked(String url) {
        assertThat(defaults.checkUrl(url).allowed()).as(url).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "chrome://settings", "view-source:http://public.example/",
        "javascript:alert(1)", "data:text/html,hi", "ftp://public.example/", "blob:http://public.example/x",
        "about:blank", "chrome-extension://abc/x", "ws://public.example/", "filesystem:http://x/"})
    void nonHttpSchemes_areBlocked(String url) {
        var v = defaults.checkUrl(url);
        assertThat(v.allowed()).as(url).isFalse();
    }

    @Test
    void publicNames_andAddresses_areAllowed_withTheAddressesToConnectTo() throws Exception {
        var v = defaults.checkUrl("https://public.example/path?q=1");
        assertThat(v.allowed()).isTrue();
        assertThat(v.addresses()).containsExactly(InetAddress.getByName("93.184.215.14"));
        assertThat(defaults.checkUrl("http://8.8.8.8/").allowed()).isTrue();
        // IPv6 forms carrying public IPv4 addresses stay reachable
        assertThat(defaults.checkUrl("http://[2002:808:808::1]/").allowed()).isTrue();
        assertThat(defaults.checkUrl("http://[2001:0:4136:e378:8000:63bf:f7f7:fbfb]/").allowed()).isTrue();
        assertThat(defaults.checkUrl("http://[64:ff9b::808:808]/").allowed()).isTrue();
        assertThat(defaults.checkUrl("http://v6.example/").allowed()).isTrue();
        assertThat(defaults.checkHost("172.32.0.1").allowed()).isTrue();
        assertThat(defaults.checkHost("100.128.0.1").allowed()).isTrue();
    }

    @Test
    void unresolvableAndMalformedHosts_areBlocked() {
        assertThat(defaults.checkHost("nowhere.example").allowed()).isFalse();
        assertThat(defaults.checkHost("nowhere.example").unresolved()).isTrue();
        assertThat(defaults.checkHost("localhost").unresolved()).isFalse();
        assertThat(defaults.checkHost("1.2.3.4.5").allowed()).isFalse();
        assertThat(defaults.checkHost("256.1.1.1").allowed()).isFalse();
        assertThat(defaults.checkHost("0x1g.1.1.1").allowed()).isFalse(); // invalid IPv4, as browsers read it
        assertThat(defaults.checkHost("4294967296").allowed()).isFalse();
        assertThat(defaults.checkHost("").allowed()).isFalse();
        assertThat(defaults.checkHost("[::ffff:zz]").allowed()).isFalse();
    }

    @Test
    void operatorAllowList_opensCidrsAndNames_andNothingElse() {
        var p = EgressPolicy.fromAllowList("127.0.0.1, 10.20.0.0/16, intranet.example, *.corp.example",
                h -> h.endsWith("example") ? new InetAddress[]{InetAddress.getByName("10.99.0.1")}
                        : resolve(h));
        assertThat(p.checkUrl("http://127.0.0.1:8080/").allowed()).isTrue();
        assertThat(p.checkUrl("http://2130706433:8080/").allowed()).isTrue();
        assertThat(p.checkUrl("http://fixture.test/").allowed()).isTrue();
        assertThat(p.checkUrl("http://127.0.0.2/").allowed()).isFalse();
        assertThat(p.checkUrl("http://[::1]/").allowed()).isFalse();
        assertThat(p.checkUrl("http://10.20.3.4/").allowed()).isTrue();
        assertThat(p.checkUrl("http://10.21.0.1/").allowed()).isFalse();
        assertThat(p.checkUrl("http://intranet.example/").allowed()).isTrue();
        assertThat(p.checkUrl("http://a.b.corp.example/").allowed()).isTrue();
        assertThat(p.checkUrl("http://other.example/").allowed()).isFalse();
        assertThat(p.checkUrl("http://169.254.169.254/").allowed()).isFalse();
    }

    @Test
    void allowList_refusesEntriesThatAreNotHostsOrNetworks() {
        assertThatThrownBy(() -> EgressPolicy.fromAllowList("10.0.0.0/33")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> EgressPolicy.fromAllowList("http://x/")).hasMessageContaining("http://x/");
    }

    @Test
    void hostLiteral_readsHostsTheWayBrowsersDo() {
        assertThat(HostLiteral.canonical("0x7F.1")).isEqualTo("127.0.0.1");
        assertThat(HostLiteral.canonical("0300.0250.0.01")).isEqualTo("192.168.0.1");
        assertThat(HostLiteral.canonical("3232235521")).isEqualTo("192.168.0.1");
        assertThat(HostLiteral.canonical("192.168.1")).isEqualTo("192.168.0.1");
        assertThat(HostLiteral.canonical("Example.COM.")).isEqualTo("example.com");
        assertThat(HostLiteral.canonical("[::FFFF:7f00:1]")).isEqualTo("127.0.0.1");
        assertThat(HostLiteral.address("example.com")).isEmpty();
        assertThatThrownBy(() -> HostLiteral.canonical("1.2.3.4.5")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void internationalAndFullWidthNames_areCheckedInTheirIdnaForm_asTheBrowserResolvesThem() {
        for (String url : new String[]{"http://b\u00fccher.test/", "http://B\u00dcCHER.test/",
            "http://xn--bcher-kva.test/", "http://shop\uff11.test/",
            "http://\uff53\uff48\uff4f\uff50\uff11\u3002test/"}) {
            var v = defaults.checkUrl(url);
            assertThat(v.allowed()).as(url + ": " + v.reason()).isTrue();
            assertThat(v.host()).as(url).isIn("xn--bcher-kva.test", "shop1.test");
        }
        // full-width digits and ideographic full stops spell an address, and are refused as that address
        for (String url : new String[]{"http://\uff11\uff12\uff17.\uff10.\uff10.\uff11/",
            "http://127\u30020\u30020\u30021/", "http://\uff4c\uff4f\uff43\uff41\uff4c\uff48\uff4f\uff53\uff54/",
            "http://\uff11\uff16\uff19.254.169.254/"}) {
            var v = defaults.checkUrl(url);
            assertThat(v.allowed()).as(url).isFalse();
            assertThat(v.unresolved()).as(url + ": " + v.reason()).isFalse();
        }
    }
}
