package dev.tabrunner.llm;

/**
 * The provider refused the request or could not be reached. Messages carry the provider's status and error text,
 * never the API key or the prompt.
 *
 * @see #retryable()
 */
public class LanguageModelException extends RuntimeException {
    private final int status;
    private final boolean retryable;

    /**
     * @param status the provider's HTTP status, or 0 when no answer came (connection refused, timeout)
     */
    public LanguageModelException(String message, int status, boolean retryable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
    }

    public int status() {
        return status;
    }

    /** True for throttling, provider outages and timeouts; false for a request the provider will never accept. */
    public boolean retryable() {
        return retryable;
    }
}
