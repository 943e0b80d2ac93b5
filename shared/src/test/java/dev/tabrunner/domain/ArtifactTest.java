package dev.tabrunner.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ArtifactTest {
    @Test
    void safeFilename_keepsTheLastSegment_withoutControlsQuotesOrLeadingDots() {
        assertThat(Artifact.safeFilename("my report.pdf")).isEqualTo("my report.pdf");
        assertThat(Artifact.safeFilename("../../etc/cron.d/x")).isEqualTo("x");
        assertThat(Artifact.safeFilename("..\\\\..\\\\win.ini")).isEqualTo("win.ini");
        assertThat(Artifact.safeFilename("a\r\nSet-Cookie: x=1.txt")).isEqualTo("aSet-Cookie: x=1.txt");
        assertThat(Artifact.safeFilename("say \"hi\".txt")).isEqualTo("say hi.txt");
        assertThat(Artifact.safeFilename(".htaccess")).isEqualTo("htaccess");
        assertThat(Artifact.safeFilename("b\u00fccher \u2028.pdf")).isEqualTo("b\u00fccher .pdf");
        assertThat(Artifact.safeFilename("..")).isEqualTo("download");
        assertThat(Artifact.safeFilename(null)).isEqualTo("download");
        assertThat(Artifact.safeFilename("x".repeat(300) + ".pdf")).hasSize(Artifact.MAX_FILENAME).endsWith(".pdf");
    }
}
