package dev.tabrunner.it;

import dev.tabrunner.json.Json;

/** The seeds' own request examples, as they are written, for the tests that post them. */
public final class SeedExamples {
    /** Seed 002's request example of {@code POST /api/v1/run-task}, exactly as written (placeholders and all). */
    public static final String V1_RUN_TASK = """
            {
              "task": "<string>",
              "secrets": {},
              "allowed_domains": ["<string>"],
              "save_browser_data": true,
              "structured_output_json": "<string>",
              "llm_model": "gpt-4o",
              "use_adblock": true,
              "use_proxy": true,
              "proxy_country_code": "us",
              "highlight_elements": true,
              "included_file_names": ["<string>"],
              "browser_viewport_width": 123,
              "browser_viewport_height": 123,
              "max_agent_steps": 123,
              "enable_public_share": true,
              "metadata": {"campaign": "q4-automation", "team": "marketing"}
            }""";

    private SeedExamples() {
    }

    /**
     * Seed 002's example with the {@code "<string>"} placeholders replaced only where the seed's types demand a real
     * value: a list of domains, a JSON Schema (sent as a string, as the seed's type says), files uploaded before.
     * Everything else, {@code "task": "<string>"} and the viewport of 123 included, stays as written.
     *
     * @param domains a JSON array of domains
     * @param schema  a JSON Schema as JSON
     * @param files   a JSON array of names of uploaded files
     */
    public static String v1RunTaskFilledIn(String domains, String schema, String files) {
        String body = V1_RUN_TASK.replace("\"allowed_domains\": [\"<string>\"]", "\"allowed_domains\": " + domains)
                .replace("\"structured_output_json\": \"<string>\"", "\"structured_output_json\": "
                        + Json.mapper().valueToTree(schema))
                .replace("\"included_file_names\": [\"<string>\"]", "\"included_file_names\": " + files);
        if (body.equals(V1_RUN_TASK)) {
            throw new IllegalStateException("the seed example changed: nothing was filled in");
        }
        return body;
    }
}
