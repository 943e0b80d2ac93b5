package dev.tabrunner.adapter.dynamodb;

import dev.tabrunner.domain.UploadedFile;
import dev.tabrunner.port.FileStore;
import dev.tabrunner.port.StoreUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.tabrunner.adapter.dynamodb.DynamoDocuments.s;

/** Uploaded-file metadata in DynamoDB, keyed by session and file name. */
public final class DynamoDbFileStore implements FileStore {
    private final DynamoDbClient client;
    private final String table;

    public DynamoDbFileStore(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    @Override
    public void put(UploadedFile file) {
        try {
            client.putItem(b -> b.tableName(table).item(DynamoDocuments.item(file, Map.of(
                    "sessionId", s(file.sessionId()), "name", s(file.name()), "tenantId", s(file.tenantId())))));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not store file metadata", e);
        }
    }

    @Override
    public Optional<UploadedFile> find(String tenantId, String sessionId, String name) {
        try {
            GetItemResponse r = client.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of("sessionId", s(sessionId), "name", s(name))));
            if (!r.hasItem() || r.item().isEmpty() || !tenantId.equals(r.item().get("tenantId").s())) {
                return Optional.empty();
            }
            return Optional.of(DynamoDocuments.read(r.item(), UploadedFile.class));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not read file metadata", e);
        }
    }

    @Override
    public List<UploadedFile> list(String tenantId, String sessionId) {
        try {
            return client.queryPaginator(b -> b.tableName(table).consistentRead(true)
                            .keyConditionExpression("sessionId = :s").filterExpression("tenantId = :t")
                            .expressionAttributeValues(Map.of(":s", s(sessionId), ":t", s(tenantId))))
                    .items().stream().map(i -> DynamoDocuments.read(i, UploadedFile.class)).toList();
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not list files", e);
        }
    }
}
