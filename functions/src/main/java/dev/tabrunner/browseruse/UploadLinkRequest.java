package dev.tabrunner.browseruse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tabrunner.http.RequestBodies;
import dev.tabrunner.http.RequestProblem;
import dev.tabrunner.http.RequestProblems;
import dev.tabrunner.json.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/uploads/presigned-url} as browser-use documents it: {@code file_name} and
 * {@code content_type}, both required; every problem reported at once in the v1 shape.
 */
record UploadLinkRequest(String fileName, String contentType) {
    private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
            + "/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");

    /** @throws RequestProblems listing every problem */
    static UploadLinkRequest parse(String body) {
        JsonNode root;
        try {
            root = body == null || body.isBlank() ? null : Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw RequestProblems.of(List.of("body"), "JSON decode error", "json_invalid");
        }
        if (root == null) {
            throw RequestProblems.of(List.of("body"), "Field required", "missing");
        }
        if (!root.isObject() || body.length() > RequestBodies.MAX_JSON_BYTES) {
            throw RequestProblems.of(List.of("body"), "Input should be a valid dictionary or object to extract fields"
                    + " from", "model_attributes_type");
        }
        List<RequestProblem> problems = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("file_name") && !name.equals("content_type")) {
                problems.add(new RequestProblem(List.of("body", name), "Extra inputs are not permitted",
                        "extra_forbidden"));
            }
        }
        String fileName = string(root, "file_name", problems);
        String contentType = string(root, "content_type", problems);
        if (contentType != null && !MEDIA_TYPE.matcher(contentType).matches()) {
            problems.add(new RequestProblem(List.of("body", "content_type"), "Value error, a content type such as"
                    + " text/csv or image/png", "value_error"));
        }
        if (!problems.isEmpty()) {
            throw new RequestProblems(problems);
        }
        return new UploadLinkRequest(fileName, contentType);
    }

    private static String string(JsonNode root, String field, List<RequestProblem> problems) {
        JsonNode v = root.get(field);
        if (v == null || v.isNull()) {
            problems.add(new RequestProblem(List.of("body", field), "Field required", "missing"));
            return null;
        }
        if (!v.isTextual() || v.textValue().isEmpty() || v.textValue().length() > 255) {
            problems.add(new RequestProblem(List.of("body", field), "Input should be a valid string of 1 to 255"
                    + " characters", "string_type"));
            return null;
        }
        return v.textValue();
    }
}
