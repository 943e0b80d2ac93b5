package dev.tabrunner.infrastructure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import software.amazon.awscdk.Environment;
import software.amazon.awscdk.services.lambda.Architecture;
import software.constructs.Node;

/**
 * Everything a deployment may vary, read once from CDK context (`cdk.json`, or `-c key=value` on the command line)
 * so the stacks themselves contain no literals an operator would want to change.
 *
 * @param stackPrefix               prefix of the two stack names ({@code <prefix>-Data}, {@code <prefix>-Api}); the
 *                                  other name prefixes default to it in lower case, so one key names a deployment
 * @param tablePrefix               prefix of every DynamoDB table name; reaches the functions as
 *                                  {@code TABRUNNER_TABLE_PREFIX}
 * @param functionPrefix            prefix of every Lambda function name
 * @param secretPrefix              prefix of the Secrets Manager names of vault credentials
 * @param apiJar                    the shaded API jar (sessions, tasks, credentials and dead-letter functions)
 * @param workerImageDir            the directory holding the worker's {@code Dockerfile}
 * @param architecture              {@code x86_64} or {@code arm64}, for every function and the worker image
 * @param apiMemoryMb               memory of the API and dead-letter functions
 * @param workerMemoryMb            memory of the worker (Lambda gives CPU in proportion to memory)
 * @param workerEphemeralStorageMb  size of the worker's {@code /tmp} (Chromium profile, downloads, traces)
 * @param workerReservedConcurrency cap on concurrent workers (and so on concurrent browsers and their spend);
 *                                  empty for none ({@code -c workerReservedConcurrency=none})
 * @param workerRetryAttempts       retries of a failed asynchronous worker invocation before the dead-letter queue
 * @param artifactRetentionDays     days before objects under {@code tasks/} in the bucket expire
 * @param logRetentionDays          retention of every log group; one of CloudWatch's allowed values
 * @param throttleRateLimit         steady-state requests per second of the HTTP API
 * @param throttleBurstLimit        burst of the HTTP API
 * @param recoveryIntervalMinutes   minutes between two recovery sweeps, which re-dispatch or fail abandoned tasks
 * @param tenantRps                 requests per second one tenant may make; reaches the API functions as
 *                                  {@code TABRUNNER_TENANT_RPS}
 * @param tenantMaxSessions         non-terminated sessions one tenant may hold ({@code TABRUNNER_TENANT_MAX_SESSIONS})
 * @param tenantMaxTasks            tasks one tenant may have queued or running at once
 *                                  ({@code TABRUNNER_TENANT_MAX_TASKS})
 * @param egressAllow               comma-separated hosts, {@code *.suffix}es, addresses and CIDR blocks the worker's
 *                                  browser may reach although they are private, link-local or loopback
 *                                  ({@code TABRUNNER_EGRESS_ALLOW}); empty allows none of them
 * @param llm                       the language model of agent tasks, for the worker and the tasks function
 * @param tasks                     browsing nodes, the operator's proxies (vault credential ids), the recording cap
 * @param environment               the target account/region, or empty for an environment-agnostic synth
 */
public record DeploymentConfig(
        String stackPrefix,
        String tablePrefix,
        String functionPrefix,
        String secretPrefix,
        String apiJar,
        String workerImageDir,
        Architecture architecture,
        int apiMemoryMb,
        int workerMemoryMb,
        int workerEphemeralStorageMb,
        Optional<Integer> workerReservedConcurrency,
        int workerRetryAttempts,
        int artifactRetentionDays,
        int logRetentionDays,
        int throttleRateLimit,
        int throttleBurstLimit,
        int recoveryIntervalMinutes,
        int tenantRps,
        int tenantMaxSessions,
        int tenantMaxTasks,
        String egressAllow,
        LanguageModel llm,
        TaskOptions tasks,
        Optional<Environment> environment) {

    static final String DEFAULT_STACK_PREFIX = "Tabrunner";
    /**
     * Workers run up to 15 minutes each, so an uncapped burst of tasks could take the whole account's concurrency
     * (1,000 by default) from the API functions. 50 leaves 950 on a default account (Lambda keeps at least 100
     * unreserved anyway) and bounds the worker spend to 50 browsers at a time.
     */
    static final int DEFAULT_WORKER_RESERVED_CONCURRENCY = 50;
    /** The value of {@code workerReservedConcurrency} that reserves nothing (accounts whose quota is too small). */
    static final String NO_RESERVATION = "none";
    static final String DEFAULT_API_JAR = "../functions/target/tabrunner-api-lambda.jar";
    static final String DEFAULT_WORKER_IMAGE_DIR = "../container-image";
    /**
     * What the worker's parser can accept at all (host names, {@code *.} and {@code .} suffixes, IPv4 and IPv6
     * addresses, CIDR blocks); the worker checks the rest when it starts. Catches a list separated by spaces or
     * semicolons, which would otherwise only show up as a worker that fails every task.
     */
    private static final Pattern EGRESS_ENTRY = Pattern.compile("[A-Za-z0-9_.:/*-]+");
    /** A CloudFormation stack name starts with a letter; {@code -Data} and {@code -Api} are appended. */
    private static final Pattern STACK_PREFIX = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,63}");
    /** Lambda function names are at most 64 characters; the longest suffix is {@code browsing-sync} (13). */
    private static final Pattern FUNCTION_PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,51}");
    private static final Pattern TABLE_PREFIX = Pattern.compile("[A-Za-z0-9_.-]{1,200}");
    private static final Pattern SECRET_PREFIX = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,200}");

    public DeploymentConfig {
        requirePattern("stackPrefix", stackPrefix, STACK_PREFIX);
        requirePattern("tablePrefix", tablePrefix, TABLE_PREFIX);
        requirePattern("functionPrefix", functionPrefix, FUNCTION_PREFIX);
        requirePattern("secretPrefix", secretPrefix, SECRET_PREFIX);
        requireName("apiJar", apiJar);
        requireName("workerImageDir", workerImageDir);
        // Lambda's own bounds; failing at synth beats failing half-way through a deployment.
        requireRange("apiMemoryMb", apiMemoryMb, 128, 10240);
        requireRange("workerMemoryMb", workerMemoryMb, 128, 10240);
        requireRange("workerEphemeralStorageMb", workerEphemeralStorageMb, 512, 10240);
        // 0 would stop every worker; "none" is how to reserve nothing.
        workerReservedConcurrency.ifPresent(value -> requireRange("workerReservedConcurrency (or none)", value, 1,
                100000));
        requireRange("workerRetryAttempts", workerRetryAttempts, 0, 2);
        requireRange("artifactRetentionDays", artifactRetentionDays, 1, 3650);
        LogRetention.of(logRetentionDays);
        requireRange("throttleRateLimit", throttleRateLimit, 1, 10000);
        requireRange("throttleBurstLimit", throttleBurstLimit, 1, 5000);
        // EventBridge rates are whole minutes; more than a day between sweeps leaves lost tasks hanging for a day.
        requireRange("recoveryIntervalMinutes", recoveryIntervalMinutes, 1, 1440);
        requireRange("tenantRps", tenantRps, 1, 100000);
        requireRange("tenantMaxSessions", tenantMaxSessions, 1, 100000);
        requireRange("tenantMaxTasks", tenantMaxTasks, 1, 100000);
        requireEgressAllowList(egressAllow);
        if (llm == null) {
            throw new IllegalArgumentException("llm must not be null (use LanguageModel.NONE)");
        }
        if (tasks == null) {
            throw new IllegalArgumentException("tasks must not be null (use TaskOptions.NONE)");
        }
    }

    /**
     * Which language model serves natural-language (agent) tasks; every value may be empty. The worker and the tasks
     * function read them as the {@code TABRUNNER_LLM_*} variables ({@code dev.tabrunner.llm.LanguageModelSettings}).
     * There is deliberately no key for the provider's API key: it would sit in the template and the function
     * configuration in clear text, so the key lives in the vault and only its credential id is passed.
     *
     * @param provider           {@code openai}, {@code bedrock} or empty ({@code TABRUNNER_LLM_PROVIDER})
     * @param baseUrl            the OpenAI-compatible endpoint ({@code TABRUNNER_LLM_BASE_URL})
     * @param model              the model of tasks that name none ({@code TABRUNNER_LLM_MODEL})
     * @param apiKeyCredentialId a vault credential of tenant {@code default} holding the provider's API key
     *                           ({@code TABRUNNER_LLM_API_KEY_CREDENTIAL_ID})
     * @param region             Bedrock's region ({@code TABRUNNER_LLM_REGION}); empty means the stack's region
     */
    public record LanguageModel(String provider, String baseUrl, String model, String apiKeyCredentialId,
                                String region) {

        public static final LanguageModel NONE = new LanguageModel("", "", "", "", "");

        /** An AWS region name: {@code us-east-1}, {@code us-gov-west-1}, {@code ap-southeast-2}, … */
        private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-[0-9]+");
        private static final Pattern NO_SPACE = Pattern.compile("\\S+");

        public LanguageModel {
            provider = provider == null ? "" : provider.trim().toLowerCase(Locale.ROOT);
            baseUrl = nullToEmpty(baseUrl);
            model = nullToEmpty(model);
            apiKeyCredentialId = nullToEmpty(apiKeyCredentialId);
            region = nullToEmpty(region);
            // The same checks the functions make when they start; a deployment that passed synth would otherwise
            // only show its mistake as an agent task refused at run time.
            if (!provider.isEmpty() && !provider.equals("openai") && !provider.equals("bedrock")) {
                throw new IllegalArgumentException("context llmProvider must be openai, bedrock or empty, got "
                        + provider);
            }
            if (provider.equals("openai") && baseUrl.isEmpty()) {
                throw new IllegalArgumentException("context llmProvider=openai needs llmBaseUrl");
            }
            if (!baseUrl.isEmpty() && !httpUrl(baseUrl)) {
                throw new IllegalArgumentException("context llmBaseUrl must be an http(s) URL, got " + baseUrl);
            }
            if (!region.isEmpty() && !REGION.matcher(region).matches()) {
                throw new IllegalArgumentException("context llmRegion must be a region name such as us-east-1, got "
                        + region);
            }
            if (!apiKeyCredentialId.isEmpty() && !NO_SPACE.matcher(apiKeyCredentialId).matches()) {
                throw new IllegalArgumentException("context llmApiKeyCredentialId must be a credential id, got '"
                        + apiKeyCredentialId + "'");
            }
        }

        public boolean bedrock() {
            return provider.equals("bedrock");
        }

        /** The {@code TABRUNNER_LLM_*} variables that have a value; unset ones keep the functions' defaults. */
        public Map<String, String> environment() {
            Map<String, String> environment = new LinkedHashMap<>();
            putIfSet(environment, "TABRUNNER_LLM_PROVIDER", provider);
            putIfSet(environment, "TABRUNNER_LLM_BASE_URL", baseUrl);
            putIfSet(environment, "TABRUNNER_LLM_MODEL", model);
            putIfSet(environment, "TABRUNNER_LLM_API_KEY_CREDENTIAL_ID", apiKeyCredentialId);
            putIfSet(environment, "TABRUNNER_LLM_REGION", region);
            return environment;
        }

        private static void putIfSet(Map<String, String> environment, String name, String value) {
            if (!value.isEmpty()) {
                environment.put(name, value);
            }
        }

        private static String nullToEmpty(String value) {
            return value == null ? "" : value.trim();
        }

        private static boolean httpUrl(String value) {
            try {
                URI uri = new URI(value);
                return uri.getScheme() != null && uri.getScheme().matches("https?") && uri.getHost() != null;
            } catch (URISyntaxException e) {
                return false;
            }
        }
    }

    /**
     * Reads the configuration from the app's context.
     *
     * @param node the app's (or any construct's) node, whose context holds the keys
     * @param env  the process environment; only {@code CDK_DEFAULT_ACCOUNT} and {@code CDK_DEFAULT_REGION} are read,
     *             as the cdk CLI sets them from the caller's profile
     * @throws IllegalArgumentException when a value is malformed or out of range
     */
    public static DeploymentConfig fromContext(Node node, Map<String, String> env) {
        ContextReader context = new ContextReader(node);
        String stackPrefix = context.string("stackPrefix", DEFAULT_STACK_PREFIX);
        // Named by the stack: a second deployment (or one after `cdk destroy`, whose retained tables keep their
        // names) needs only another stackPrefix, not four keys that must agree.
        String names = stackPrefix.toLowerCase(Locale.ROOT);
        return new DeploymentConfig(
                stackPrefix,
                context.string("tablePrefix", names + "-"),
                context.string("functionPrefix", names + "-"),
                context.string("secretPrefix", names + "/"),
                context.string("apiJar", DEFAULT_API_JAR),
                context.string("workerImageDir", DEFAULT_WORKER_IMAGE_DIR),
                architecture(context.string("architecture", "x86_64")),
                context.integer("apiMemoryMb", 1024),
                context.integer("workerMemoryMb", 3008),
                context.integer("workerEphemeralStorageMb", 2048),
                workerReservedConcurrency(context),
                context.integer("workerRetryAttempts", 2),
                context.integer("artifactRetentionDays", 30),
                context.integer("logRetentionDays", 30),
                context.integer("throttleRateLimit", 50),
                context.integer("throttleBurstLimit", 100),
                context.integer("recoveryIntervalMinutes", 1),
                context.integer("tenantRps", 50),
                context.integer("tenantMaxSessions", 50),
                context.integer("tenantMaxTasks", 20),
                context.string("egressAllow", ""),
                languageModel(context),
                new TaskOptions(context.string("browsingNodes", ""),
                        TaskOptions.proxyCredentials(context.string("proxyCredentials", "")),
                        context.string("proxyStrict", ""), context.string("recordingMaxBytes", "")),
                environment(context, env));
    }

    private static LanguageModel languageModel(ContextReader context) {
        if (context.optionalString("llmApiKey").isPresent()) {
            throw new IllegalArgumentException("context llmApiKey is not supported: the key would be readable in the"
                    + " template and the function configuration. Store it as a credential of tenant 'default'"
                    + " (POST /browser/credentials, the key as its password) and pass -c llmApiKeyCredentialId=<id>");
        }
        return new LanguageModel(
                context.string("llmProvider", ""),
                context.string("llmBaseUrl", ""),
                context.string("llmModel", ""),
                context.string("llmApiKeyCredentialId", ""),
                context.string("llmRegion", ""));
    }

    private static Optional<Integer> workerReservedConcurrency(ContextReader context) {
        Optional<String> value = context.optionalString("workerReservedConcurrency");
        if (value.isPresent() && value.get().equalsIgnoreCase(NO_RESERVATION)) {
            return Optional.empty();
        }
        return Optional.of(context.integer("workerReservedConcurrency", DEFAULT_WORKER_RESERVED_CONCURRENCY));
    }

    private static Optional<Environment> environment(ContextReader context, Map<String, String> env) {
        String account = context.optionalString("account").orElse(env.get("CDK_DEFAULT_ACCOUNT"));
        String region = context.optionalString("region").orElse(env.get("CDK_DEFAULT_REGION"));
        if (account == null && region == null) {
            return Optional.empty();
        }
        return Optional.of(Environment.builder().account(account).region(region).build());
    }

    private static Architecture architecture(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "x86_64":
            case "amd64":
                return Architecture.X86_64;
            case "arm64":
            case "aarch64":
                return Architecture.ARM_64;
            default:
                throw new IllegalArgumentException("context architecture must be x86_64 or arm64, got " + value);
        }
    }

    private static void requireName(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("context " + key + " must not be blank");
        }
    }

    private static void requirePattern(String key, String value, Pattern pattern) {
        requireName(key, value);
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("context " + key + " must match " + pattern.pattern() + ", got "
                    + value);
        }
    }

    private static void requireEgressAllowList(String allow) {
        if (allow == null) {
            throw new IllegalArgumentException("context egressAllow must not be null (use an empty string)");
        }
        for (String entry : allow.split(",")) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty() && !EGRESS_ENTRY.matcher(trimmed).matches()) {
                throw new IllegalArgumentException("context egressAllow: '" + trimmed + "' is not a host name, "
                        + "*.suffix, IP address or CIDR block (separate entries with commas)");
            }
        }
    }

    private static void requireRange(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    "context " + key + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    /** Context values arrive as strings from {@code -c key=value} and as JSON numbers from cdk.json. */
    private static final class ContextReader {
        private final Node node;

        ContextReader(Node node) {
            this.node = node;
        }

        Optional<String> optionalString(String key) {
            Object value = node.tryGetContext(key);
            if (value == null || value.toString().isBlank()) {
                return Optional.empty();
            }
            return Optional.of(value.toString().trim());
        }

        String string(String key, String fallback) {
            return optionalString(key).orElse(fallback);
        }

        Optional<Integer> optionalInteger(String key) {
            return optionalString(key).map(value -> parse(key, value));
        }

        int integer(String key, int fallback) {
            return optionalInteger(key).orElse(fallback);
        }

        private static int parse(String key, String value) {
            try {
                // JSON numbers may come through jsii as doubles ("30.0").
                double parsed = Double.parseDouble(value);
                if (parsed != Math.rint(parsed)) {
                    throw new NumberFormatException();
                }
                return (int) parsed;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("context " + key + " must be a whole number, got " + value, e);
            }
        }
    }
}
