package dev.tabrunner.adapter.s3;

import dev.tabrunner.port.BlobStore;
import dev.tabrunner.port.StoreUnavailableException;
import dev.tabrunner.testing.InMemoryS3;
import dev.tabrunner.testing.contract.BlobStoreContract;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The adapter against an in-JVM S3 substitute, running the blob store contract and checking what it asks S3 for;
 * presigning uses the real SDK presigner (it makes no call).
 */
class S3BlobStoreTest extends BlobStoreContract {
    private final InMemoryS3 s3 = new InMemoryS3("tabrunner-blobs");
    private final S3Presigner presigner = S3Presigner.builder().region(Region.EU_WEST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "s")))
            .build();
    private final S3BlobStore store = new S3BlobStore(s3, presigner, "tabrunner-blobs", "arn:aws:kms:key/1");

    @Override
    protected BlobStore store() {
        return store;
    }

    @Test
    void put_encryptsWithTheDeploymentKey_andGetReadsTheBytesBack() {
        store.put("sessions/acme/s1/state.json", "{\"cookies\":[]}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        PutObjectRequest put = (PutObjectRequest) s3.requests.get(0);
        assertThat(put.bucket()).isEqualTo("tabrunner-blobs");
        assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(put.ssekmsKeyId()).isEqualTo("arn:aws:kms:key/1");
        assertThat(put.contentType()).isEqualTo("application/json");
        assertThat(store.get("sessions/acme/s1/state.json")).hasValueSatisfying(b ->
                assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("{\"cookies\":[]}"));
    }

    @Test
    void withoutAKeyId_theBucketKeyIsUsed_butStillSseKms() {
        S3BlobStore noKey = new S3BlobStore(s3, presigner, "tabrunner-blobs", " ");
        noKey.put("tasks/acme/t1/a.png", new byte[]{1}, "image/png");
        PutObjectRequest put = (PutObjectRequest) s3.requests.get(0);
        assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(put.ssekmsKeyId()).isNull();
    }

    @Test
    void sdkFailures_becomeStoreUnavailable() {
        s3.failing(true);
        assertThatThrownBy(() -> store.put("tasks/a/b", new byte[0], "text/plain"))
                .isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> store.get("tasks/a/b")).isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void downloadUrl_isAPresignedGet_thatNamesTheFile_andExpires() {
        URI url = store.downloadUrl("tasks/acme/t1/a1-screenshot.png", "shot \"1\".png", "image/png",
                Duration.ofMinutes(5)).orElseThrow();
        String query = URLDecoder.decode(url.getRawQuery(), StandardCharsets.UTF_8);
        assertThat(url.getScheme()).isEqualTo("https");
        assertThat(url.getHost()).startsWith("tabrunner-blobs.s3.");
        assertThat(url.getPath()).isEqualTo("/tasks/acme/t1/a1-screenshot.png");
        assertThat(query).contains("X-Amz-Expires=300", "X-Amz-Signature=",
                "response-content-disposition=attachment; filename=\"shot _1_.png\"",
                "response-content-type=image/png");
        assertThat(s3.requests).isEmpty();
    }

    @Test
    void keysThatCouldEscapeTheirPrefix_areRefused() {
        assertThatThrownBy(() -> store.get("../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("/abs", new byte[0], "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
