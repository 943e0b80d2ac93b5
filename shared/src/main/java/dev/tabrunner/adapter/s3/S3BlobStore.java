package dev.tabrunner.adapter.s3;

import dev.tabrunner.port.BlobKeys;
import dev.tabrunner.port.BlobStore;
import dev.tabrunner.port.StoreUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Blobs as objects of one bucket. Every object is written with SSE-KMS under the deployment's key, even though
 * the bucket's default encryption says the same, so that a bucket misconfigured later still gets no plaintext
 * (session state holds cookies). Downloads are presigned GETs: the bytes go from S3 to the caller, never through
 * the API function (whose responses are capped at 6 MB).
 */
public final class S3BlobStore implements BlobStore {

    private final S3Client client;
    private final S3Presigner presigner;
    private final String bucket;
    private final String kmsKeyId;

    /**
     * @param kmsKeyId the KMS key for SSE-KMS, or null for the bucket's default key
     */
    public S3BlobStore(S3Client client, S3Presigner presigner, String bucket, String kmsKeyId) {
        this.client = client;
        this.presigner = presigner;
        this.bucket = bucket;
        this.kmsKeyId = kmsKeyId == null || kmsKeyId.isBlank() ? null : kmsKeyId;
    }

    private static String checked(String key) {
        return BlobKeys.checked(key);
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) {
        String k = checked(key);
        try {
            client.putObject(b -> {
                b.bucket(bucket).key(k).contentType(contentType).serverSideEncryption(ServerSideEncryption.AWS_KMS);
                if (kmsKeyId != null) {
                    b.ssekmsKeyId(kmsKeyId);
                }
            }, RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not write blob " + k, e);
        }
    }

    @Override
    public Optional<byte[]> get(String key) {
        String k = checked(key);
        try {
            return Optional.of(client.getObjectAsBytes(b -> b.bucket(bucket).key(k)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not read blob " + k, e);
        }
    }

    @Override
    public void delete(String key) {
        String k = checked(key);
        try {
            client.deleteObject(b -> b.bucket(bucket).key(k));
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not delete blob " + k, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        try {
            List<String> keys = new ArrayList<>();
            client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()
                    .forEach(o -> keys.add(o.key()));
            Collections.sort(keys);
            return keys;
        } catch (SdkException e) {
            throw new StoreUnavailableException("could not list blobs under " + prefix, e);
        }
    }

    /** A presigned GET that makes the browser save the object as {@code filename} with its content type. */
    @Override
    public Optional<URI> downloadUrl(String key, String filename, String contentType, Duration ttl) {
        String k = checked(key);
        String disposition = "attachment; filename=\"" + safeFilename(filename) + "\"";
        try {
            return Optional.of(presigner.presignGetObject(p -> p.signatureDuration(ttl)
                    .getObjectRequest(g -> {
                        g.bucket(bucket).key(k).responseContentDisposition(disposition);
                        if (contentType != null) {
                            g.responseContentType(contentType);
                        }
                    })).url().toURI());
        } catch (SdkException | java.net.URISyntaxException e) {
            throw new StoreUnavailableException("could not presign blob " + k, e);
        }
    }

    /** Quotes, backslashes, control and non-ASCII characters would break the header S3 sends back. */
    static String safeFilename(String filename) {
        if (filename == null || filename.isBlank()) {
            return "download";
        }
        StringBuilder out = new StringBuilder();
        for (byte b : filename.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return out.toString();
    }
}
