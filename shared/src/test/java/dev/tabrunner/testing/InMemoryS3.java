package dev.tabrunner.testing;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-JVM substitute of the S3 client for the calls the blob store makes: objects kept in a map, every
 * request recorded so that tests can check bucket, encryption and content type. Not a mock of our own code: it
 * stands in for the AWS service, which cannot run here.
 */
public final class InMemoryS3 implements S3Client {
    /** An object as stored, with the request that stored it. */
    public record StoredObject(byte[] bytes, PutObjectRequest request) {
    }

    public final Map<String, StoredObject> objects = new ConcurrentHashMap<>();
    public final List<Object> requests = new CopyOnWriteArrayList<>();
    private final String bucket;
    private volatile boolean failing;

    public InMemoryS3(String bucket) {
        this.bucket = bucket;
    }

    /** Makes every later call fail like an unreachable endpoint. */
    public void failing(boolean value) {
        this.failing = value;
    }

    private void check(String requestBucket) {
        if (failing) {
            throw SdkClientException.create("Unable to execute HTTP request: connection refused");
        }
        if (!bucket.equals(requestBucket)) {
            throw NoSuchKeyException.builder().message("wrong bucket " + requestBucket).statusCode(404).build();
        }
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest r, RequestBody body) {
        requests.add(r);
        check(r.bucket());
        try (InputStream in = body.contentStreamProvider().newStream()) {
            objects.put(r.key(), new StoredObject(in.readAllBytes(), r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PutObjectResponse.builder().eTag("\"" + Integer.toHexString(r.key().hashCode()) + "\"").build();
    }

    @Override
    public <T> T getObject(GetObjectRequest r, ResponseTransformer<GetObjectResponse, T> transformer) {
        requests.add(r);
        check(r.bucket());
        StoredObject o = objects.get(r.key());
        if (o == null) {
            throw NoSuchKeyException.builder().message("The specified key does not exist.").statusCode(404).build();
        }
        GetObjectResponse response = GetObjectResponse.builder().contentLength((long) o.bytes().length)
                .contentType(o.request().contentType()).build();
        try {
            return transformer.transform(response, AbortableInputStream.create(new ByteArrayInputStream(o.bytes())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest r) {
        return getObject(r, ResponseTransformer.toInputStream());
    }

    @Override
    public DeleteObjectResponse deleteObject(DeleteObjectRequest r) {
        requests.add(r);
        check(r.bucket());
        objects.remove(r.key());
        return DeleteObjectResponse.builder().build();
    }

    /** Every matching key in one page, sorted as S3 sorts them (UTF-8 binary order, the same for these keys). */
    @Override
    public ListObjectsV2Response listObjectsV2(ListObjectsV2Request r) {
        requests.add(r);
        check(r.bucket());
        String prefix = r.prefix() == null ? "" : r.prefix();
        List<S3Object> contents = objects.keySet().stream().filter(k -> k.startsWith(prefix)).sorted()
                .map(k -> S3Object.builder().key(k).size((long) objects.get(k).bytes().length).build()).toList();
        return ListObjectsV2Response.builder().contents(contents).keyCount(contents.size()).isTruncated(false)
                .build();
    }

    @Override
    public String serviceName() {
        return "s3";
    }

    @Override
    public void close() {
    }
}
