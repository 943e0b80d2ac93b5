package dev.tabrunner.nativeapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.domain.SessionOptions;
import dev.tabrunner.domain.Viewport;
import dev.tabrunner.http.ApiException;
import dev.tabrunner.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SessionRequestTest {
    private static JsonNode json(String body) throws Exception {
        return Json.mapper().readTree(body);
    }

    /** The field a body is refused for (a 400). */
    private static String refusedField(String body) throws Exception {
        JsonNode node = json(body);
        ApiException e = catchThrowableOfType(ApiException.class, () -> SessionRequest.read(node));
        assertThat(e).as(body).isNotNull();
        assertThat(e.status()).isEqualTo(400);
        return (String) e.details().get("field");
    }

    @Test
    void anEmptyBody_givesTheDefaultOptions() throws Exception {
        assertThat(SessionRequest.read(json("{}"))).isEqualTo(SessionOptions.defaults());
    }

    @Test
    void recording_isReadWhenGiven_andLeftToEachTasksDefaultOtherwise() throws Exception {
        assertThat(SessionRequest.read(json("{\"recording\":true}")).recording()).isTrue();
        assertThat(SessionRequest.read(json("{\"recording\":false}")).recording()).isFalse();
        assertThat(SessionRequest.read(json("{}")).recording()).isNull();
        assertThat(refusedField("{\"recording\":\"yes\"}")).isEqualTo("recording");
    }

    @Test
    void everyOption_isReadAsGiven() throws Exception {
        SessionOptions o = SessionRequest.read(json("{\"viewport\":{\"width\":800,\"height\":600},"
                + "\"userAgent\":\"agent/1\",\"locale\":\"de-DE\",\"timezoneId\":\"Europe/Berlin\","
                + "\"inactivityTimeoutMs\":60000}"));

        assertThat(o).isEqualTo(new SessionOptions(new Viewport(800, 600), "agent/1", "de-DE", "Europe/Berlin",
                60_000));
    }

    @Test
    void theViewport_goesDownToWhatChromiumRenders_oneCssPixel() throws Exception {
        assertThat(SessionRequest.read(json("{\"viewport\":{\"width\":1,\"height\":1}}")).viewport())
                .isEqualTo(new Viewport(1, 1));
        assertThat(refusedField("{\"viewport\":{\"width\":0}}")).isEqualTo("viewport.width");
    }

    @Test
    void wholeNumbers_inAnyJsonSpelling_areIntegers() throws Exception {
        SessionOptions o = SessionRequest.read(json("{\"viewport\":{\"width\":800.0,\"height\":6e2},"
                + "\"inactivityTimeoutMs\":60000.0}"));
        assertThat(o.viewport()).isEqualTo(new Viewport(800, 600));
        assertThat(o.inactivityTimeoutMs()).isEqualTo(60_000);
        assertThat(refusedField("{\"inactivityTimeoutMs\":60000.5}")).isEqualTo("inactivityTimeoutMs");
    }

    @Test
    void allowedDomainsAndEnvironment_areSessionOptions() throws Exception {
        SessionOptions o = SessionRequest.read(json("{\"allowedDomains\":[\"example.com\",\".example.org\"],"
                + "\"environmentId\":\"shop\"}"));
        assertThat(o.allowedDomains()).containsExactly("example.com", ".example.org");
        assertThat(o.environmentId()).isEqualTo("shop");
        assertThat(refusedField("{\"allowedDomains\":[\"not a domain\"]}")).isEqualTo("allowedDomains[0]");
        assertThat(refusedField("{\"allowedDomains\":\"example.com\"}")).isEqualTo("allowedDomains");
        assertThat(refusedField("{\"environmentId\":\"../other-tenant\"}")).isEqualTo("environmentId");
        assertThat(refusedField("{\"environmentId\":7}")).isEqualTo("environmentId");
    }

    @Test
    void aViewportSideLeftOut_keepsItsDefault() throws Exception {
        assertThat(SessionRequest.read(json("{\"viewport\":{\"width\":800}}")).viewport())
                .isEqualTo(new Viewport(800, Viewport.DEFAULT.height()));
    }

    @Test
    void eachWrongOption_isRefused_namingItsField() throws Exception {
        assertThat(refusedField("{\"colour\":\"blue\"}")).isEqualTo("colour");
        assertThat(refusedField("{\"viewport\":[800,600]}")).isEqualTo("viewport");
        assertThat(refusedField("{\"viewport\":{\"width\":" + (Viewport.MIN - 1) + "}}")).isEqualTo("viewport.width");
        assertThat(refusedField("{\"viewport\":{\"height\":" + (Viewport.MAX + 1) + "}}"))
                .isEqualTo("viewport.height");
        assertThat(refusedField("{\"viewport\":{\"width\":800.5}}")).isEqualTo("viewport.width");
        assertThat(refusedField("{\"userAgent\":7}")).isEqualTo("userAgent");
        assertThat(refusedField("{\"userAgent\":\"" + "a".repeat(1025) + "\"}")).isEqualTo("userAgent");
        assertThat(refusedField("{\"locale\":\"not a locale\"}")).isEqualTo("locale");
        assertThat(refusedField("{\"timezoneId\":\"Mars/Olympus\"}")).isEqualTo("timezoneId");
        assertThat(refusedField("{\"inactivityTimeoutMs\":9999}")).isEqualTo("inactivityTimeoutMs");
        assertThat(refusedField("{\"inactivityTimeoutMs\":86400001}")).isEqualTo("inactivityTimeoutMs");
        assertThat(refusedField("{\"inactivityTimeoutMs\":\"60000\"}")).isEqualTo("inactivityTimeoutMs");
    }

    @Test
    void aTimeoutPastTheRangeOfLong_isNotWrappedIntoTheRange() throws Exception {
        assertThat(refusedField("{\"inactivityTimeoutMs\":18446744073709611616}")).isEqualTo("inactivityTimeoutMs");
    }
}
