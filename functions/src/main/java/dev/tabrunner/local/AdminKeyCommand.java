package dev.tabrunner.local;

import dev.tabrunner.adapter.dynamodb.DynamoDbApiKeyStore;
import dev.tabrunner.adapter.dynamodb.DynamoDbTables;
import dev.tabrunner.admin.ApiKeyService;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * {@code ./tabrunner admin-key --rotate}: the way back in when the local admin key is lost or leaked. With the
 * server stopped, it issues a new operator admin key, revokes the one the data directory kept (and whatever key
 * held the operator's slot), and keeps the new one in {@code admin-key} for the next start to print.
 */
public final class AdminKeyCommand {
    private AdminKeyCommand() {
    }

    /**
     * Rotates the operator's admin key of the data directory {@code env} names.
     *
     * @return the new key
     * @throws IllegalStateException when a server is using the directory, or the key is {@code TABRUNNER_ADMIN_KEY}
     */
    public static String rotate(Map<String, String> env) {
        String fromEnv = env.get("TABRUNNER_ADMIN_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            throw new IllegalStateException("the admin key is TABRUNNER_ADMIN_KEY, which every start registers"
                    + " again: set a new value there instead");
        }
        String dir = env.get("TABRUNNER_DATA_DIR");
        Path dataDir = Path.of(dir == null || dir.isBlank() ? ".tabrunner" : dir.trim()).toAbsolutePath();
        String prefix = env.getOrDefault("TABRUNNER_TABLE_PREFIX", "tabrunner-");
        try (DataDirLock lock = DataDirLock.acquire(dataDir);
             EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(dataDir.resolve("dynamodb"))) {
            DynamoDbTables tables = new DynamoDbTables(prefix.isBlank() ? "tabrunner-" : prefix.trim());
            tables.createMissing(dynamo.client());
            ApiKeyService keys = new ApiKeyService(new DynamoDbApiKeyStore(dynamo.client(), tables.apiKeys()),
                    Clock.systemUTC());
            Path file = dataDir.resolve(LocalServer.ADMIN_KEY_FILE);
            if (Files.exists(file)) {
                keys.revokeBySecret(Files.readString(file, StandardCharsets.UTF_8).trim());
            }
            String key = keys.rotateOperatorKey().secret();
            LocalServer.keepAdminKey(dataDir, key);
            return key;
        } catch (IOException e) {
            throw new IllegalStateException("could not read the kept admin key: " + e.getMessage(), e);
        }
    }

    public static void main(String[] args) {
        if (args.length != 1 || !args[0].equals("--rotate")) {
            System.err.println("usage: ./tabrunner admin-key --rotate");
            System.exit(2);
        }
        try {
            String key = rotate(System.getenv());
            System.out.println("New admin API key: " + key);
            System.out.println("The previous admin key no longer works; keys the admins issued are unchanged.");
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
