package dev.tabrunner.infrastructure;

import static dev.tabrunner.infrastructure.CfnTemplate.getAtt;
import static dev.tabrunner.infrastructure.CfnTemplate.list;
import static dev.tabrunner.infrastructure.CfnTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The data stack as synthesized with cdk.json's defaults: key, tables, bucket. */
class DataStackTest {

    /** Table (without prefix) → its key schema and indexes, as the DynamoDB adapters expect them. */
    private static final Map<String, TableShape> EXPECTED_TABLES = expectedTables();
    /**
     * What each index projects: keys only wherever the adapter reads the page's rows by key, so that a task's write
     * (at every checkpoint) pays for its row once and not once per index.
     */
    private static final Map<String, Object> EXPECTED_PROJECTIONS = Map.of(
            "sessions.byTenant", Map.of("ProjectionType", "KEYS_ONLY"),
            "tasks.bySession", Map.of("ProjectionType", "INCLUDE", "NonKeyAttributes", List.of("tenantId")),
            "tasks.byStatus", Map.of("ProjectionType", "KEYS_ONLY"),
            "tasks.byDialect", Map.of("ProjectionType", "KEYS_ONLY"),
            "tasks.byTenant", Map.of("ProjectionType", "KEYS_ONLY"),
            "credentials.byTenant", Map.of("ProjectionType", "ALL"));
    /** Short-lived rows; everything else holds data a teardown must not take with it. */
    private static final Set<String> DISPOSABLE = Set.of("idempotency", "rate-limits", "live");

    @TempDir
    static Path workDirectory;

    private static TabrunnerApp.Stacks stacks;
    private static Template template;
    private static CfnTemplate data;
    private static String keyId;
    private static Map<String, String> tablesByName;

    record TableShape(List<String> key, Map<String, List<String>> indexes) {
    }

    @BeforeAll
    static void synthesize() {
        stacks = TestApps.build(workDirectory, Map.of());
        template = Template.fromStack(stacks.data());
        data = new CfnTemplate(template);
        keyId = data.resources("AWS::KMS::Key").keySet().iterator().next();
        tablesByName = new LinkedHashMap<>();
        data.resources("AWS::DynamoDB::Table").forEach((id, table) ->
                tablesByName.put(map(table.get("Properties")).get("TableName").toString(), id));
    }

    @Test
    void theTables_areExactlyThoseTheAdaptersUse_namedWithThePrefix() {
        assertThat(tablesByName.keySet()).containsExactlyInAnyOrderElementsOf(
                EXPECTED_TABLES.keySet().stream().map(name -> "tabrunner-" + name).toList());
    }

    @Test
    void everyTable_isOnDemand_recoverable_expiresByTtl_andEncryptedWithTheKey() {
        for (String id : tablesByName.values()) {
            Map<String, Object> table = data.properties(id);
            assertThat(table)
                    .containsEntry("BillingMode", "PAY_PER_REQUEST")
                    .containsEntry("PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true))
                    .containsEntry("TimeToLiveSpecification", Map.of("AttributeName", "ttl", "Enabled", true))
                    .doesNotContainKey("ProvisionedThroughput");
            Map<String, Object> sse = map(table.get("SSESpecification"));
            assertThat(sse).containsEntry("SSEEnabled", true).containsEntry("SSEType", "KMS");
            assertThat(getAtt(sse.get("KMSMasterKeyId"))).isEqualTo(keyId);
        }
    }

    @Test
    void everyTable_hasTheKeysAndIndexesItsQueriesNeed_allString() {
        EXPECTED_TABLES.forEach((name, shape) -> {
            Map<String, Object> table = data.properties(tablesByName.get("tabrunner-" + name));
            assertThat(keySchema(table.get("KeySchema"))).as(name).isEqualTo(shape.key());
            Map<String, List<String>> indexes = new LinkedHashMap<>();
            Object gsis = table.get("GlobalSecondaryIndexes");
            if (gsis != null) {
                list(gsis).forEach(index -> {
                    Map<String, Object> gsi = map(index);
                    String indexName = gsi.get("IndexName").toString();
                    assertThat(gsi.get("Projection")).as(name + "." + indexName)
                            .isEqualTo(EXPECTED_PROJECTIONS.get(name + "." + indexName));
                    indexes.put(indexName, keySchema(gsi.get("KeySchema")));
                });
            }
            assertThat(indexes).as(name).isEqualTo(shape.indexes());
            list(table.get("AttributeDefinitions")).forEach(attribute ->
                    assertThat(map(attribute)).containsEntry("AttributeType", "S"));
        });
    }

    @Test
    void dataTables_surviveATeardown_shortLivedOnesDoNot() {
        tablesByName.forEach((name, id) -> {
            String policy = DISPOSABLE.contains(name.substring("tabrunner-".length())) ? "Delete" : "Retain";
            assertThat(data.resource(id)).as(name).containsEntry("DeletionPolicy", policy);
        });
        assertThat(data.resource(keyId)).containsEntry("DeletionPolicy", "Retain");
        template.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
    }

    @Test
    void bucket_isKmsEncrypted_private_tlsOnly_unversioned_andExpiresArtifacts() {
        String bucketId = data.resources("AWS::S3::Bucket").keySet().iterator().next();
        Map<String, Object> bucket = data.properties(bucketId);
        Map<String, Object> encryption = map(list(map(bucket.get("BucketEncryption"))
                .get("ServerSideEncryptionConfiguration")).get(0));
        Map<String, Object> byDefault = map(encryption.get("ServerSideEncryptionByDefault"));
        assertThat(byDefault).containsEntry("SSEAlgorithm", "aws:kms");
        assertThat(getAtt(byDefault.get("KMSMasterKeyID"))).isEqualTo(keyId);
        assertThat(bucket.get("PublicAccessBlockConfiguration")).isEqualTo(Map.of(
                "BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
                "RestrictPublicBuckets", true));
        assertThat(bucket).doesNotContainKey("VersioningConfiguration");
        assertThat(data.resource(bucketId)).containsEntry("DeletionPolicy", "Retain");

        template.hasResourceProperties("AWS::S3::Bucket", Map.of("LifecycleConfiguration", Map.of(
                "Rules", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Prefix", "tasks/", "ExpirationInDays", 30, "Status", "Enabled")),
                        Match.objectLike(Map.of(
                                "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1),
                                "Status", "Enabled")))))));
        template.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny",
                        "Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void bucket_expiresLargeIdempotentResponses_afterTwoDays_andNothingElseUnderThatPrefix() {
        String bucketId = data.resources("AWS::S3::Bucket").keySet().iterator().next();
        List<Object> rules = list(map(data.properties(bucketId).get("LifecycleConfiguration")).get("Rules"));
        List<Map<String, Object>> idempotency = rules.stream().map(CfnTemplate::map)
                .filter(rule -> "idempotency/".equals(rule.get("Prefix")))
                .toList();
        assertThat(idempotency).singleElement().satisfies(rule -> assertThat(rule)
                .containsEntry("ExpirationInDays", 2)
                .containsEntry("Status", "Enabled"));
        // Saved browser state lives under sessions/ and must never match an expiring rule.
        rules.stream().map(CfnTemplate::map).filter(rule -> rule.containsKey("ExpirationInDays"))
                .forEach(rule -> assertThat(rule.get("Prefix")).as("expiring rule %s", rule.get("Id"))
                        .isIn("tasks/", "idempotency/", "browsing/"));
    }

    @Test
    void bucket_deletesBrowsingScreenshots_fiveDaysAfterTheyAreWritten_whateverTheArtifactRetention() {
        for (CfnTemplate bucketOf : List.of(data, synthesizeData(Map.of("artifactRetentionDays", "90")))) {
            String bucketId = bucketOf.resources("AWS::S3::Bucket").keySet().iterator().next();
            List<Object> rules = list(map(bucketOf.properties(bucketId).get("LifecycleConfiguration")).get("Rules"));
            assertThat(rules.stream().map(CfnTemplate::map).filter(rule -> "browsing/".equals(rule.get("Prefix"))))
                    .singleElement().satisfies(rule -> assertThat(rule)
                            .containsEntry("ExpirationInDays", 5)
                            .containsEntry("Status", "Enabled"));
            // No other rule reaches into the prefix (tasks/ does not start with browsing/ and vice versa).
            rules.stream().map(CfnTemplate::map).filter(rule -> rule.containsKey("Prefix"))
                    .filter(rule -> !"browsing/".equals(rule.get("Prefix")))
                    .forEach(rule -> assertThat("browsing/").doesNotStartWith(rule.get("Prefix").toString()));
        }
    }

    @Test
    void synth_reportsNoWarningsOrErrors() {
        Annotations annotations = Annotations.fromStack(stacks.data());
        annotations.hasNoWarning("*", Match.anyValue());
        annotations.hasNoError("*", Match.anyValue());
    }

    private static CfnTemplate synthesizeData(Map<String, Object> context) {
        try {
            Path directory = Files.createDirectories(workDirectory.resolve("custom"));
            return new CfnTemplate(Template.fromStack(TestApps.build(directory, context).data()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> keySchema(Object schema) {
        return list(schema).stream().map(element -> map(element).get("AttributeName").toString()).toList();
    }

    private static Map<String, TableShape> expectedTables() {
        List<String> byTenant = List.of("tenantId", "createdAt");
        Map<String, TableShape> tables = new LinkedHashMap<>();
        tables.put("sessions", new TableShape(List.of("id"), Map.of("byTenant", byTenant)));
        // byStatus: the recovery sweep lists CREATED and RUNNING tasks, the status spread over shards (one status
        // alone is one hot partition); byDialect: the v1 task list (sparse); byTenant: every dialect's tasks (the
        // dashboard's list)
        tables.put("tasks", new TableShape(List.of("id"), Map.of(
                "bySession", List.of("sessionId", "createdAt"), "byStatus", List.of("statusShard", "createdAt"),
                "byDialect", List.of("dialectTenant", "createdAt"), "byTenant", byTenant)));
        // per-tenant sets of active sessions and unfinished tasks: the limits, without a count query per request
        tables.put("tenants", new TableShape(List.of("tenantId"), Map.of()));
        tables.put("files", new TableShape(List.of("sessionId", "name"), Map.of()));
        tables.put("credentials", new TableShape(List.of("id"), Map.of("byTenant", byTenant)));
        tables.put("api-keys", new TableShape(List.of("id"), Map.of()));
        tables.put("idempotency", new TableShape(List.of("id"), Map.of()));
        tables.put("rate-limits", new TableShape(List.of("id"), Map.of()));
        tables.put("live", new TableShape(List.of("id"), Map.of()));
        // a tenant's webhook endpoints, read by tenant at every task event
        tables.put("webhooks", new TableShape(List.of("tenantId", "id"), Map.of()));
        return tables;
    }
}
