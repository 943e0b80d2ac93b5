package dev.tabrunner.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * DynamoDB Local inside this JVM, listening on a free loopback port, its data in a directory so a restart
 * loses nothing. The rest of the system talks to it through the ordinary AWS SDK client, exactly as on AWS.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final DynamoDbClient client;
    private final int port;

    private EmbeddedDynamoDb(DynamoDBProxyServer server, DynamoDbClient client, int port) {
        this.server = server;
        this.client = client;
        this.port = port;
    }

    /** @param dataDir where the tables are kept, or null to keep them in memory */
    public static EmbeddedDynamoDb start(Path dataDir) {
        try {
            int port = freePort();
            String[] args = dataDir == null
                    ? new String[]{"-inMemory", "-port", Integer.toString(port), "-disableTelemetry"}
                    : new String[]{"-dbPath", Files.createDirectories(dataDir).toString(), "-sharedDb", "-port",
                    Integer.toString(port), "-disableTelemetry"};
            DynamoDBProxyServer server = quietly(() -> {
                DynamoDBProxyServer created = ServerRunner.createServerFromCommandLineArgs(args);
                created.start();
                return created;
            });
            DynamoDbClient client = DynamoDbClient.builder()
                    .endpointOverride(URI.create("http://127.0.0.1:" + port))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("local", "local")))
                    .httpClient(ApacheHttpClient.create())
                    .build();
            return new EmbeddedDynamoDb(server, client, port);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the embedded DynamoDB Local: " + e.getMessage(), e);
        }
    }

    /** What DynamoDB Local does while it prints to standard output. */
    private interface Start {
        DynamoDBProxyServer run() throws Exception;
    }

    /**
     * Runs DynamoDB Local's start with standard output silenced: it prints its configuration banner there (not to a
     * logger), which is noise in the operator's console. Errors still surface as exceptions.
     */
    private static synchronized DynamoDBProxyServer quietly(Start start) throws Exception {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return start.run();
        } finally {
            System.setOut(out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public DynamoDbClient client() {
        return client;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        client.close();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop DynamoDB Local", e);
        }
    }
}
