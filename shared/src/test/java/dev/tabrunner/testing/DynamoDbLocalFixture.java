package dev.tabrunner.testing;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.tabrunner.adapter.dynamodb.DynamoDbTables;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;

/** DynamoDB Local in memory, started once per test JVM, with the product's tables under the prefix "it-". */
public final class DynamoDbLocalFixture {
    private static DynamoDbClient client;

    private DynamoDbLocalFixture() {
    }

    public static synchronized DynamoDbClient client() {
        if (client == null) {
            try {
                int port;
                try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = s.getLocalPort();
                }
                DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(
                        new String[]{"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"});
                server.start();
                client = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                        .httpClient(ApacheHttpClient.create()).build();
                TABLES.createMissing(client);
            } catch (Exception e) {
                throw new IllegalStateException("could not start DynamoDB Local", e);
            }
        }
        return client;
    }

    public static final DynamoDbTables TABLES = new DynamoDbTables("it-");
}
