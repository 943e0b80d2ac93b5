package dev.tabrunner.engine;

import dev.tabrunner.egress.DomainAllowList;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AdBlockListTest {
    private static List<String> entryLines() throws IOException {
        try (InputStream in = AdBlockList.class.getResourceAsStream(AdBlockList.RESOURCE)) {
            assertThat(in).as("the bundled list").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }

    @Test
    void bundledList_holdsHundredsOfValidHosts_eachOnce() throws IOException {
        List<String> lines = entryLines();
        Set<String> seen = new HashSet<>();

        assertThat(lines).hasSizeGreaterThan(300);
        for (String line : lines) {
            assertThat(DomainAllowList.normalize(line)).as(line).isEqualTo(Optional.of(line));
            assertThat(seen.add(line)).as(line + " is listed twice").isTrue();
        }
        assertThat(AdBlockList.bundled().hosts()).hasSize(lines.size());
    }

    @Test
    void bundledList_isReadOnce() {
        assertThat(AdBlockList.bundled()).isSameAs(AdBlockList.bundled());
    }

    @Test
    void blocks_listedHostsAndEverythingUnderThem_only() {
        AdBlockList list = AdBlockList.bundled();

        assertThat(list.blocks("doubleclick.net")).isTrue();
        assertThat(list.blocks("securepubads.g.doubleclick.net")).isTrue();
        assertThat(list.blocks("www.google-analytics.com")).isTrue();
        assertThat(list.blocks("pagead2.googlesyndication.com")).isTrue();
        assertThat(list.blocks("notdoubleclick.net")).isFalse();
        assertThat(list.blocks("doubleclick.net.example")).isFalse();
        assertThat(list.blocks("example.com")).isFalse();
        assertThat(list.blocks("net")).isFalse();
        assertThat(list.blocks(null)).isFalse();
    }

    @Test
    void neverBlocks_theSharedHostsPagesNeed() {
        AdBlockList list = AdBlockList.bundled();

        for (String host : List.of("www.google.com", "fonts.googleapis.com", "www.gstatic.com", "facebook.com",
                "www.facebook.com", "d1234.cloudfront.net", "cdn.jsdelivr.net", "twitter.com", "www.linkedin.com",
                "www.amazon.com", "login.microsoftonline.com", "accounts.google.com", "github.com")) {
            assertThat(list.blocks(host)).as(host).isFalse();
        }
    }

    @Test
    void parse_ignoresCommentsAndBlankLines_andLowerCases() throws IOException {
        AdBlockList list = AdBlockList.parse(new ByteArrayInputStream("# a comment\n\n  Ads.Example \n"
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(list.hosts()).containsExactly("ads.example");
        assertThat(list.blocks("x.ads.example")).isTrue();
    }
}
