package dev.tabrunner.http;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The OpenAPI document's head: what the API is, its dialects (one tag each) and how callers authenticate. The
 * operations come from the controllers; request bodies, error bodies and examples the controllers cannot express
 * (they read raw JSON to report every problem in their dialect's format) are in {@code src/main/openapi}.
 */
@OpenAPIDefinition(
        info = @Info(title = "Tabrunner", version = "0.1.0",
                description = "Browser-automation API: sessions, scripted and natural-language tasks, in the"
                        + " product's own dialect and in the hosted services' (browser-use v1 and v2, the browsing"
                        + " API). The seeds' contracts: docs/seeds.md in the repository."),
        security = @SecurityRequirement(name = ApiDefinition.BEARER),
        tags = {
                @Tag(name = ApiDefinition.NATIVE, description = "Sessions, Run Task, agent tasks, files,"
                        + " environments (seeds 000 and 001). Errors: {\"error\": {status, code, message, ...}}"),
                @Tag(name = ApiDefinition.CREDENTIALS, description = "Website logins and service keys in the vault;"
                        + " admin keys only"),
                @Tag(name = ApiDefinition.ADMIN, description = "API keys and webhooks; admin keys only"),
                @Tag(name = ApiDefinition.V1, description = "browser-use's v1 Tasks API (seeds 002 and 004). Errors:"
                        + " {\"detail\": ...}, request problems as 422"),
                @Tag(name = ApiDefinition.V2, description = "browser-use's v2 API as its official SDK calls it;"
                        + " the key also as X-Browser-Use-API-Key. Errors: FastAPI's, as v1"),
                @Tag(name = ApiDefinition.BROWSING, description = "The browsing API (seed 003). Errors:"
                        + " {\"error\": {code, message}}"),
                @Tag(name = ApiDefinition.PAGES, description = "Pages opened with a link's token or no key at all:"
                        + " liveness, the live view, public shares, this reference and the dashboard")
        })
@SecurityScheme(name = ApiDefinition.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API key: Authorization: Bearer <key>")
@SecurityScheme(name = ApiDefinition.BROWSER_USE_KEY, type = SecuritySchemeType.APIKEY,
        in = SecuritySchemeIn.HEADER, paramName = "X-Browser-Use-API-Key",
        description = "An API key as browser-use's SDK sends it, on the v2 paths (Bearer works there too)")
public final class ApiDefinition {
    public static final String BEARER = "bearer";
    public static final String BROWSER_USE_KEY = "browserUseKey";
    public static final String NATIVE = "native";
    public static final String CREDENTIALS = "credentials";
    public static final String ADMIN = "admin";
    public static final String V1 = "browser-use v1";
    public static final String V2 = "browser-use v2";
    public static final String BROWSING = "browsing";
    public static final String PAGES = "pages";

    private ApiDefinition() {
    }
}
