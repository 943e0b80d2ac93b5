package dev.tabrunner.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DialectsTest {
    private static ErrorFormat format(String name) {
        return new ErrorFormat() {
            @Override
            public ErrorAnswer answer(int status, String code, String message, Map<String, Object> details) {
                return new ErrorAnswer(status, name);
            }

            @Override
            public ErrorAnswer problems(List<RequestProblem> problems) {
                return new ErrorAnswer(422, name);
            }
        };
    }

    private static Dialect dialect(String name, List<String> prefixes, List<String> publicPrefixes) {
        ErrorFormat format = format(name);
        return new Dialect() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<String> pathPrefixes() {
                return prefixes;
            }

            @Override
            public List<String> publicPathPrefixes() {
                return publicPrefixes;
            }

            @Override
            public ErrorFormat errorFormat() {
                return format;
            }
        };
    }

    private static Object formatOf(Dialects dialects, String path) {
        return dialects.errorFormat(path).answer(400, "c", "m", Map.of()).body();
    }

    private final Dialects dialects = new Dialects(List.of(
            dialect("v1", List.of("/api/v1/"), List.of("/share/")),
            dialect("browsing", List.of("/api/v1/browsing/"), List.of()),
            dialect("native", List.of("/browser/"), List.of("/live/"))));

    @Test
    void aPath_belongsToTheDialectWithTheLongestMatchingPrefix() {
        assertThat(formatOf(dialects, "/api/v1/run-task")).isEqualTo("v1");
        assertThat(formatOf(dialects, "/api/v1/browsing/sync")).isEqualTo("browsing");
        assertThat(formatOf(dialects, "/browser/sessions")).isEqualTo("native");
    }

    @Test
    void aPathNoDialectDeclares_getsTheProductsOwnFormat() {
        assertThat(dialects.errorFormat("/health")).isSameAs(ProductErrorFormat.INSTANCE);
        assertThat(dialects.errorFormat("/api/v1")).as("the prefix ends with a slash")
                .isSameAs(ProductErrorFormat.INSTANCE);
        assertThat(dialects.errorFormat("/nowhere")).isSameAs(ProductErrorFormat.INSTANCE);
        assertThat(dialects.errorFormat(null)).isSameAs(ProductErrorFormat.INSTANCE);
    }

    @Test
    void health_andTheTokenGuardedPagesDialectsDeclare_arePublic() {
        assertThat(dialects.isPublic("/health")).isTrue();
        assertThat(dialects.isPublic("/live/t1")).isTrue();
        assertThat(dialects.isPublic("/share/t1/task")).isTrue();
        assertThat(dialects.isPublic("/healthz")).isFalse();
        assertThat(dialects.isPublic("/browser/sessions")).isFalse();
        assertThat(dialects.isPublic("/api/v1/tasks")).isFalse();
    }

    @Test
    void theKeyHeader_isTheOneThePathsDialectNames_andNoneElsewhere() {
        Dialect v2 = new Dialect() {
            @Override
            public String name() {
                return "v2";
            }

            @Override
            public List<String> pathPrefixes() {
                return List.of("/api/v2/");
            }

            @Override
            public Optional<String> apiKeyHeader() {
                return Optional.of("X-Browser-Use-API-Key");
            }

            @Override
            public ErrorFormat errorFormat() {
                return format("v2");
            }
        };
        Dialects withV2 = new Dialects(List.of(v2, dialect("v1", List.of("/api/v1/"), List.of())));

        assertThat(withV2.apiKeyHeader("/api/v2/tasks")).contains("X-Browser-Use-API-Key");
        assertThat(withV2.apiKeyHeader("/api/v1/tasks")).isEmpty();
        assertThat(withV2.apiKeyHeader("/browser/sessions")).isEmpty();
    }
}
