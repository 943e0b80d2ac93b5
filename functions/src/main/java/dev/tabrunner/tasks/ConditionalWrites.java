package dev.tabrunner.tasks;

import dev.tabrunner.port.ConflictException;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The loop of every change the API makes to a task or session row: read it, decide the next version (or refuse, by
 * throwing), write it conditionally on the version read; when another writer (usually the worker checkpointing) got
 * there first, read again and decide again.
 */
final class ConditionalWrites {
    private ConditionalWrites() {
    }

    /**
     * @param read   the row as it is now
     * @param decide the next version of the row; the row itself when there is nothing to change (nothing is written
     *               then); any exception it throws is the answer, not a reason to retry
     * @param write  the conditional write, which returns what was written
     * @param busy   what to throw when every attempt lost its race
     * @return what was written, or the row as read when nothing needed writing
     */
    static <T> T untilWritten(int attempts, Supplier<T> read, UnaryOperator<T> decide, UnaryOperator<T> write,
                              Supplier<? extends RuntimeException> busy) {
        for (int attempt = 0; attempt < attempts; attempt++) {
            T current = read.get();
            T next = decide.apply(current);
            if (next == current) {
                return current;
            }
            try {
                return write.apply(next);
            } catch (ConflictException e) {
                // changed meanwhile: look again
            }
        }
        throw busy.get();
    }
}
