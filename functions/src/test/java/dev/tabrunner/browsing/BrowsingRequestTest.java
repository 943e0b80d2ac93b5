package dev.tabrunner.browsing;

import dev.tabrunner.http.ApiException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The request checker of {@code POST /api/v1/browsing/async} and {@code /sync}. */
class BrowsingRequestTest {
    private static String refusedField(String body) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> BrowsingRequest.parse(body));
        assertThat(t).as(body).isInstanceOf(ApiException.class);
        ApiException e = (ApiException) t;
        assertThat(e.status()).as(body).isEqualTo(400);
        return e.code() + " " + e.details().getOrDefault("field", "");
    }

    @Test
    void theSmallestBody_isATask_withEveryDefault() {
        BrowsingRequest r = BrowsingRequest.parse("{\"task\":\"Find the price\"}");

        assertThat(r).isEqualTo(new BrowsingRequest("Find the price", null, null, null, null, 1, null));
    }

    @Test
    void everyField_isRead() {
        BrowsingRequest r = BrowsingRequest.parse("{\"task\":\"Find the price\","
                + "\"screenshots\":{\"mode\":\"final_only\",\"full_page\":false},\"session_key\":\"shop-1\","
                + "\"filter\":{\"country_iso\":\"de\"},\"timeout\":10800000,\"fanout\":1,\"template\":\"shop_2\"}");

        assertThat(r.screenshots()).isEqualTo(new BrowsingRequest.Screenshots(ScreenshotMode.FINAL_ONLY, false));
        assertThat(r.sessionKey()).isEqualTo("shop-1");
        assertThat(r.filter()).isEqualTo(new BrowsingRequest.ByCountry("DE"));
        assertThat(r.timeoutMs()).isEqualTo(10_800_000L);
        assertThat(r.template()).isEqualTo("shop_2");
    }

    @Test
    void screenshotModes_andFullPageDefaultingToTrue() {
        for (ScreenshotMode m : ScreenshotMode.values()) {
            BrowsingRequest r = BrowsingRequest.parse("{\"task\":\"x\",\"screenshots\":{\"mode\":\"" + m.wireName()
                    + "\"}}");
            assertThat(r.screenshots()).isEqualTo(new BrowsingRequest.Screenshots(m, true));
        }
        assertThat(ScreenshotMode.values()).extracting(ScreenshotMode::wireName)
                .containsExactly("final_only", "every_step", "on_navigation");
    }

    @Test
    void filterByNode_andFanoutUpToTen() {
        BrowsingRequest r = BrowsingRequest.parse("{\"task\":\"x\",\"filter\":{\"node_uid\":\"us-1\"},"
                + "\"fanout\":10}");

        assertThat(r.filter()).isEqualTo(new BrowsingRequest.ByNode("us-1"));
        assertThat(r.fanout()).isEqualTo(10);
    }

    @Test
    void nullFields_areAbsentFields() {
        BrowsingRequest r = BrowsingRequest.parse("{\"task\":\"x\",\"screenshots\":null,\"session_key\":null,"
                + "\"filter\":null,\"timeout\":null,\"fanout\":null,\"template\":null}");

        assertThat(r).isEqualTo(new BrowsingRequest("x", null, null, null, null, 1, null));
    }

    @Test
    void everyBreach_is400_namingItsField() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"task\": ", "invalid_json ");
        cases.put("[]", "invalid_json ");
        cases.put("{}", "invalid_request task");
        cases.put("{\"task\":\"\"}", "invalid_request task");
        cases.put("{\"task\":\" \\n \"}", "invalid_request task");
        cases.put("{\"task\":[\"x\"]}", "invalid_request task");
        cases.put("{\"task\":\"" + "x".repeat(20_001) + "\"}", "invalid_request task");
        cases.put("{\"task\":\"x\",\"extra\":1}", "invalid_request extra");
        cases.put("{\"task\":\"x\",\"screenshots\":true}", "invalid_request screenshots");
        cases.put("{\"task\":\"x\",\"screenshots\":{}}", "invalid_request screenshots.mode");
        cases.put("{\"task\":\"x\",\"screenshots\":{\"mode\":null}}", "invalid_request screenshots.mode");
        cases.put("{\"task\":\"x\",\"screenshots\":{\"mode\":\"FINAL_ONLY\"}}", "invalid_request screenshots.mode");
        cases.put("{\"task\":\"x\",\"screenshots\":{\"mode\":3}}", "invalid_request screenshots.mode");
        cases.put("{\"task\":\"x\",\"screenshots\":{\"mode\":\"final_only\",\"full_page\":\"yes\"}}",
                "invalid_request screenshots.full_page");
        cases.put("{\"task\":\"x\",\"screenshots\":{\"mode\":\"final_only\",\"quality\":80}}",
                "invalid_request screenshots.quality");
        cases.put("{\"task\":\"x\",\"session_key\":\"\"}", "invalid_request session_key");
        cases.put("{\"task\":\"x\",\"session_key\":7}", "invalid_request session_key");
        cases.put("{\"task\":\"x\",\"session_key\":\"" + "k".repeat(257) + "\"}", "invalid_request session_key");
        cases.put("{\"task\":\"x\",\"filter\":\"DE\"}", "invalid_request filter");
        cases.put("{\"task\":\"x\",\"filter\":{\"country_iso\":\"DE\",\"node_uid\":\"a\"}}", "invalid_request filter");
        cases.put("{\"task\":\"x\",\"filter\":{\"country_iso\":\"DEU\"}}", "invalid_request filter.country_iso");
        cases.put("{\"task\":\"x\",\"filter\":{\"country_iso\":\"XX\"}}", "invalid_request filter.country_iso");
        cases.put("{\"task\":\"x\",\"filter\":{\"country_iso\":49}}", "invalid_request filter.country_iso");
        cases.put("{\"task\":\"x\",\"filter\":{\"node_uid\":\" \"}}", "invalid_request filter.node_uid");
        cases.put("{\"task\":\"x\",\"filter\":{\"region\":\"eu\"}}", "invalid_request filter.region");
        cases.put("{\"task\":\"x\",\"timeout\":0}", "invalid_request timeout");
        cases.put("{\"task\":\"x\",\"timeout\":-5}", "invalid_request timeout");
        cases.put("{\"task\":\"x\",\"timeout\":10800001}", "invalid_request timeout");
        cases.put("{\"task\":\"x\",\"timeout\":1.5}", "invalid_request timeout");
        cases.put("{\"task\":\"x\",\"timeout\":\"60000\"}", "invalid_request timeout");
        cases.put("{\"task\":\"x\",\"timeout\":99999999999999999999999}", "invalid_request timeout");
        cases.put("{\"task\":\"x\",\"fanout\":0}", "invalid_request fanout");
        cases.put("{\"task\":\"x\",\"fanout\":11}", "invalid_request fanout");
        cases.put("{\"task\":\"x\",\"fanout\":true}", "invalid_request fanout");
        cases.put("{\"task\":\"x\",\"fanout\":2,\"session_key\":\"k\"}", "invalid_request fanout");
        cases.put("{\"task\":\"x\",\"template\":\"../default\"}", "invalid_request template");
        cases.put("{\"task\":\"x\",\"template\":\"default.json\"}", "invalid_request template");
        cases.put("{\"task\":\"x\",\"template\":\"\"}", "invalid_request template");
        cases.put("{\"task\":\"x\",\"template\":false}", "invalid_request template");

        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertThat(refusedField(c.getKey())).as(c.getKey()).isEqualTo(c.getValue());
        }
    }

    @Test
    void theBoundsThemselves_areAccepted() {
        assertThat(BrowsingRequest.parse("{\"task\":\"x\",\"timeout\":1}").timeoutMs()).isEqualTo(1L);
        assertThat(BrowsingRequest.parse("{\"task\":\"x\",\"fanout\":1,\"session_key\":\"k\"}").fanout())
                .isEqualTo(1);
        assertThat(BrowsingRequest.parse("{\"task\":\"x\",\"filter\":{}}").filter()).isNull();
    }

    @Test
    void messages_sayWhatIsAllowed() {
        assertThatThrownBy(() -> BrowsingRequest.parse("{\"task\":\"x\",\"screenshots\":{\"mode\":\"all\"}}"))
                .hasMessageContaining("final_only, every_step, on_navigation");
        assertThatThrownBy(() -> BrowsingRequest.parse("{\"task\":\"x\",\"timeout\":10800001}"))
                .hasMessageContaining("10800000").hasMessageContaining("3 hours");
        assertThatThrownBy(() -> BrowsingRequest.parse("{\"task\":\"x\",\"filter\":{\"country_iso\":\"DE\","
                + "\"node_uid\":\"a\"}}")).hasMessageContaining("mutually exclusive");
    }
}
