package dev.tabrunner.port;

/** The backing store failed in a way the caller cannot fix (network, throttling after retries, ...). */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
