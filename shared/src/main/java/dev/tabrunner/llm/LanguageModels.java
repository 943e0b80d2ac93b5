package dev.tabrunner.llm;

/**
 * The language models a host offers its worker: which provider serves a model, and that provider's client. The
 * host builds them once (the worker only receives them), so that a test or another host can hand in its own.
 */
public interface LanguageModels extends AutoCloseable {
    /** Which configured provider serves which model; {@link ModelRouter#configured()} is false when none is. */
    ModelRouter router();

    /** The client of a route's provider, built on first use and kept. */
    LanguageModel client(ModelRouter.Route route);

    /** Releases the provider clients (their HTTP connections). */
    @Override
    void close();
}
