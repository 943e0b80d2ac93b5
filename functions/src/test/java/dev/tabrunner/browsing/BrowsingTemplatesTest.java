package dev.tabrunner.browsing;

import dev.tabrunner.egress.UpstreamProxies;
import dev.tabrunner.http.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrowsingTemplatesTest {
    private static BrowsingTemplates in(Path dir) {
        return new BrowsingTemplates(new BrowsingSettings(BrowsingNodes.from(null, UpstreamProxies.none()), dir,
                Duration.ofMinutes(10)));
    }

    private static BrowsingTemplates.Template parse(String json) {
        return BrowsingTemplates.parse("t", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theShippedDefault_givesTheTaskAsWritten() {
        BrowsingTemplates.Template t = in(null).find(null);

        assertThat(t.stem()).isEqualTo("default");
        assertThat(t.wrap("Find the price")).isEqualTo("Find the price");
        assertThat(t.timeoutMs()).isEqualTo(300_000L);
        assertThat(t.screenshots()).isNull();
        assertThat(t.allowedDomains()).isEmpty();
    }

    @Test
    void anOperatorsTemplate_isFoundByItsStem_andCanReplaceTheDefault(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("shop.json"), "{\"instructions\":\"Be careful.\\n{task}\",\"model\":\"gpt-4o\","
                + "\"max_steps\":9,\"timeout\":60000,\"screenshots\":{\"mode\":\"every_step\"},"
                + "\"allowed_domains\":[\"example.com\",\".shop.example\"]}");
        Files.writeString(dir.resolve("default.json"), "{\"instructions\":\"Mine: {task}\"}");

        BrowsingTemplates.Template shop = in(dir).find("shop");

        assertThat(shop.wrap("Buy {task} tea")).isEqualTo("Be careful.\nBuy {task} tea");
        assertThat(shop.model()).isEqualTo("gpt-4o");
        assertThat(shop.maxSteps()).isEqualTo(9);
        assertThat(shop.timeoutMs()).isEqualTo(60_000L);
        assertThat(shop.screenshots()).isEqualTo(new BrowsingRequest.Screenshots(ScreenshotMode.EVERY_STEP, true));
        assertThat(shop.allowedDomains()).containsExactly("example.com", ".shop.example");
        assertThat(in(dir).find(null).wrap("x")).isEqualTo("Mine: x");
    }

    @Test
    void anUnknownStem_is400(@TempDir Path dir) {
        assertThatThrownBy(() -> in(dir).find("nope"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.details()).containsEntry("field", "template");
                });
        assertThatThrownBy(() -> in(null).find("shop")).hasMessageContaining("default template only");
    }

    @Test
    void aBrokenTemplate_is500_namingIt(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("broken.json"), "{\"instructions\":\"no place for the task\"}");

        assertThatThrownBy(() -> in(dir).find("broken"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.code()).isEqualTo("template_invalid");
                })
                .hasMessageContaining("broken").hasMessageContaining("{task}");
    }

    @Test
    void everyField_isChecked() {
        for (String bad : List.of("[]", "{", "{\"colour\":\"red\"}", "{\"instructions\":\"\"}",
                "{\"model\":7}", "{\"max_steps\":0}", "{\"max_steps\":201}", "{\"timeout\":0}",
                "{\"timeout\":10800001}", "{\"screenshots\":{\"mode\":\"never\"}}", "{\"allowed_domains\":\"x\"}",
                "{\"allowed_domains\":[\"not a domain\"]}")) {
            assertThatThrownBy(() -> parse(bad)).as(bad)
                    .isInstanceOfAny(IllegalArgumentException.class, ApiException.class);
        }
        assertThat(parse("{}").wrap("x")).isEqualTo("x");
        assertThat(parse("{\"description\":\"anything\"}").model()).isNull();
    }
}
