package dev.tabrunner.nativeapi;

import dev.tabrunner.domain.UploadedFile;

import java.util.List;

/**
 * A file uploaded to a session or kept in an environment, as the native API shows it.
 *
 * @param id what {@code files} of an agent task and {@code uploadFile} may name it by (seed 001's "File IDs"),
 *           besides its name
 */
record FileView(String id, String filename, long size, String contentType, String uploadedAt) {
    /** The files of a session. */
    record Listing(List<FileView> files) {
    }

    static FileView of(UploadedFile f) {
        return new FileView(f.id(), f.name(), f.size(), f.contentType(), f.uploadedAt().toString());
    }
}
