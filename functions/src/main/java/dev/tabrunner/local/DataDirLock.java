package dev.tabrunner.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One process at a time owns a data directory: DynamoDB Local's files are not meant to be opened by two processes,
 * so the server and the admin-key command take this lock first and say so when another holds it. The operating
 * system releases it when the process ends, however it ends.
 */
final class DataDirLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws IllegalStateException when another process (or this one) holds the directory */
    static DataDirLock acquire(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(dataDir.resolve("server.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("another Tabrunner process is using " + dataDir
                        + "; stop it first (Ctrl+C in its terminal)");
            }
            return new DataDirLock(channel, lock);
        } catch (IOException e) {
            throw new IllegalStateException("could not lock " + dataDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process is ending or the lock is already gone: nothing left to release
        }
    }
}
