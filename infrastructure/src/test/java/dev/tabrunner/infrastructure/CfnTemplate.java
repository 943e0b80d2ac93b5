package dev.tabrunner.infrastructure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import software.amazon.awscdk.assertions.Template;

/**
 * A synthesized template as plain maps, with the few reference-following helpers the assertions need (which role a
 * policy is attached to, which function an alias points at). {@code Template}'s matchers check shapes; these answer
 * "what does this reach".
 */
final class CfnTemplate {

    private final Map<String, Object> json;

    CfnTemplate(Template template) {
        this.json = template.toJSON();
    }

    Map<String, Map<String, Object>> resources(String type) {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        map(json.get("Resources")).forEach((id, resource) -> {
            if (type.equals(map(resource).get("Type"))) {
                result.put(id, map(resource));
            }
        });
        return result;
    }

    Map<String, Object> resource(String logicalId) {
        Object resource = map(json.get("Resources")).get(logicalId);
        if (resource == null) {
            throw new AssertionError("no resource " + logicalId);
        }
        return map(resource);
    }

    Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId).get("Properties"));
    }

    Map<String, Object> outputs() {
        Object outputs = json.get("Outputs");
        return outputs == null ? Map.of() : map(outputs);
    }

    /**
     * Logical ids of the {@code AWS::Lambda::Function}s, by their {@code FunctionName} without {@code prefix}
     * ({@code tabrunner-worker} → {@code worker}); two functions may serve the same {@code TABRUNNER_FUNCTION}.
     */
    Map<String, String> functionsByName(String prefix) {
        Map<String, String> result = new LinkedHashMap<>();
        resources("AWS::Lambda::Function").forEach((id, resource) -> {
            String name = map(resource.get("Properties")).get("FunctionName").toString();
            if (!name.startsWith(prefix) || result.put(name.substring(prefix.length()), id) != null) {
                throw new AssertionError("function " + name + " is not named <" + prefix + "><name> once");
            }
        });
        return result;
    }

    Map<String, Object> environment(String functionId) {
        Object environment = properties(functionId).get("Environment");
        return environment == null ? Map.of() : map(map(environment).get("Variables"));
    }

    /** The function whose execution role is {@code roleId}. */
    String functionOfRole(String roleId) {
        return resources("AWS::Lambda::Function").entrySet().stream()
                .filter(entry -> roleId.equals(getAtt(map(entry.getValue().get("Properties")).get("Role"))))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no function with role " + roleId));
    }

    /** Every statement of the policies attached to {@code functionId}'s role. */
    List<Map<String, Object>> statementsOf(String functionId) {
        String roleId = getAtt(properties(functionId).get("Role"));
        List<Map<String, Object>> statements = new ArrayList<>();
        resources("AWS::IAM::Policy").values().forEach(policy -> {
            Map<String, Object> properties = map(policy.get("Properties"));
            boolean attached = list(properties.get("Roles")).stream().anyMatch(role -> roleId.equals(ref(role)));
            if (attached) {
                statements.addAll(statements(properties.get("PolicyDocument")));
            }
        });
        return statements;
    }

    /** Every statement of every identity policy in the template: AWS::IAM::Policy and roles' inline policies. */
    List<Map<String, Object>> allIdentityStatements() {
        List<Map<String, Object>> statements = new ArrayList<>();
        resources("AWS::IAM::Policy").values().forEach(policy ->
                statements.addAll(statements(map(policy.get("Properties")).get("PolicyDocument"))));
        resources("AWS::IAM::ManagedPolicy").values().forEach(policy ->
                statements.addAll(statements(map(policy.get("Properties")).get("PolicyDocument"))));
        resources("AWS::IAM::Role").values().forEach(role -> {
            Object inline = map(role.get("Properties")).get("Policies");
            if (inline != null) {
                list(inline).forEach(policy -> statements.addAll(statements(map(policy).get("PolicyDocument"))));
            }
        });
        return statements;
    }

    /** All actions the function's role is allowed, e.g. {@code dynamodb:PutItem}. */
    Set<String> actionsOf(String functionId) {
        Set<String> actions = new TreeSet<>();
        statementsOf(functionId).forEach(statement -> actions.addAll(actions(statement)));
        return actions;
    }

    static List<String> actions(Map<String, Object> statement) {
        return strings(statement.get("Action"));
    }

    static List<Object> resourcesOf(Map<String, Object> statement) {
        Object resource = statement.get("Resource");
        return resource instanceof List ? list(resource) : List.of(resource);
    }

    private static List<Map<String, Object>> statements(Object document) {
        List<Map<String, Object>> statements = new ArrayList<>();
        list(map(document).get("Statement")).forEach(statement -> statements.add(map(statement)));
        return statements;
    }

    /**
     * A string, or an {@code Fn::Join} of strings and pseudo-parameter references, as text, e.g.
     * {@code arn:{AWS::Partition}:…}.
     */
    static String joined(Object value) {
        if (value instanceof String) {
            return value.toString();
        }
        StringBuilder text = new StringBuilder();
        for (Object part : list(list(map(value).get("Fn::Join")).get(1))) {
            text.append(part instanceof String ? part : "{" + ref(part) + "}");
        }
        return text.toString();
    }

    static String ref(Object value) {
        if (value instanceof Map && map(value).containsKey("Ref")) {
            return map(value).get("Ref").toString();
        }
        return null;
    }

    static String getAtt(Object value) {
        if (value instanceof Map && map(value).containsKey("Fn::GetAtt")) {
            return list(map(value).get("Fn::GetAtt")).get(0).toString();
        }
        return null;
    }

    static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List) {
            List<String> result = new ArrayList<>();
            list(value).forEach(item -> result.add(item.toString()));
            return result;
        }
        return List.of(value.toString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}
