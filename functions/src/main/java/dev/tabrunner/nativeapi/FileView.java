package dev.tabrunner.nativeapi;

import dev.tabrunner.domain.UploadedFile;

import java.util.List;

/** A file uploaded to a session, as the native API shows it. */
record FileView(String filename, long size, String contentType, String uploadedAt) {
    /** The files of a session. */
    record Listing(List<FileView> files) {
    }

    static FileView of(UploadedFile f) {
        return new FileView(f.name(), f.size(), f.contentType(), f.uploadedAt().toString());
    }
}
