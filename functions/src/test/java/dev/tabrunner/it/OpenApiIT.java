package dev.tabrunner.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.micronaut.web.router.Router;
import io.swagger.v3.oas.annotations.Hidden;
import io.micronaut.web.router.UriRouteInfo;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API reference: a valid OpenAPI 3.1 document (checked by swagger-parser) that holds every route the server
 * answers, each dialect's error body and the security scheme, served without a key; and the page rendering it.
 */
class OpenApiIT {
    private final TestSystem sys = TestSystem.get();
    private final Api anonymous = new Api(sys.server.baseUrl(), null);

    private JsonNode document() {
        var r = anonymous.get("/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        return r.json();
    }

    @Test
    void theDocument_isValidOpenApi31() {
        String json = anonymous.get("/openapi.json").body();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(json, null, options);
        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(result.getOpenAPI().getComponents().getSecuritySchemes()).containsKey("bearer");
        assertThat(result.getOpenAPI().getComponents().getSecuritySchemes().get("bearer").getScheme())
                .isEqualTo("bearer");
    }

    @Test
    void theYamlDocument_isTheSameDocument() throws Exception {
        var yaml = anonymous.get("/openapi.yaml");
        assertThat(yaml.status()).isEqualTo(200);
        JsonNode fromYaml = new ObjectMapper(new YAMLFactory()).readTree(yaml.body());
        assertThat(fromYaml).isEqualTo(document());
    }

    @Test
    void everyRouteTheServerAnswers_isInTheDocument() {
        JsonNode paths = document().get("paths");
        Router router = sys.server.context().getBean(Router.class);
        List<String> missing = new ArrayList<>();
        int routes = 0;
        for (UriRouteInfo<?, ?> route : router.uriRoutes().toList()) {
            if (route.getTargetMethod().getDeclaringType().isAnnotationPresent(Hidden.class)) {
                // answers for another service's operations, with a 404 saying they are not offered
                continue;
            }
            String path = route.getUriMatchTemplate().toPathString();
            String method = route.getHttpMethodName().toLowerCase(Locale.ROOT);
            routes++;
            // the router answers HEAD wherever it answers GET (the same answer without a body): GET documents both
            String documented = method.equals("head") ? "get" : method;
            if (!paths.path(path).has(documented)) {
                missing.add(method + " " + path);
            }
        }
        assertThat(routes).isGreaterThan(80);
        assertThat(missing).isEmpty();
    }

    @Test
    void eachDialect_documentsItsOwnErrorBody_andTheRequestBodiesWithExamples() {
        JsonNode paths = document().get("paths");
        assertThat(paths.at("/~1browser~1sessions/post/responses/default/content/application~1json/schema/$ref")
                .asText()).endsWith("/ProductError");
        assertThat(paths.at("/~1api~1v1~1run-task/post/responses/default/content/application~1json/schema/$ref")
                .asText()).endsWith("/FastApiError");
        assertThat(paths.at("/~1api~1v1~1browsing~1async/post/responses/default/content/application~1json/schema"
                + "/$ref").asText()).endsWith("/BrowsingError");
        assertThat(paths.at("/~1api~1v1~1run-task/post/requestBody/content/application~1json/examples/V1RunTask"
                + "/$ref").asText()).isEqualTo("#/components/examples/V1RunTask");
        assertThat(paths.at("/~1browser~1sessions~1{sessionId}~1tasks/post/requestBody/content/application~1json"
                + "/schema/$ref").asText()).isEqualTo("#/components/schemas/RunTaskRequest");
        assertThat(paths.at("/~1health/get/security")).isEmpty();
        assertThat(paths.at("/~1browser~1sessions/get").has("security")).isFalse();
        assertThat(document().at("/security/0").has("bearer")).isTrue();
        // browser-use v2's SDK sends its key as X-Browser-Use-API-Key
        assertThat(paths.at("/~1api~1v2~1tasks/post/security/1").has("browserUseKey")).isTrue();
        assertThat(document().at("/components/securitySchemes/browserUseKey/name").asText())
                .isEqualTo("X-Browser-Use-API-Key");
    }

    @Test
    void theDocsPage_loadsItsScriptsFromThisOriginOnly() {
        var page = anonymous.get("/docs");
        assertThat(page.status()).isEqualTo(200);
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("script-src 'self';").doesNotContain("script-src 'self' 'unsafe-inline'");
        assertThat(page.body()).doesNotContain("<script>").contains("docs/assets/swagger-ui-bundle.js");
        assertThat(anonymous.get("/docs/assets/swagger-ui-bundle.js").status()).isEqualTo(200);
        assertThat(anonymous.get("/docs/assets/docs.js").body()).contains("SwaggerUIBundle");
        assertThat(anonymous.get("/docs/assets/..%2F..%2Fapplication.yml").status()).isEqualTo(404);
    }
}
