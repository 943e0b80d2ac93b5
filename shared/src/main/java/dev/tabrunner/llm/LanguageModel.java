package dev.tabrunner.llm;

/**
 * A chat model that can call tools: Amazon Bedrock (Converse API) or any OpenAI-compatible Chat Completions
 * endpoint. One call is one model turn; the caller keeps the conversation.
 */
public interface LanguageModel {
    /**
     * Sends the conversation and returns the model's next turn.
     *
     * @throws LanguageModelException when the provider refused the request or stayed unavailable after the
     *                                adapter's own retries; {@link LanguageModelException#retryable()} says whether
     *                                a later attempt may succeed
     */
    ChatResponse chat(ChatRequest request);
}
