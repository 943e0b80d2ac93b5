package dev.tabrunner.llm;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * A model callers may name, and what it costs.
 *
 * @param name                  the name callers use ({@code gpt-4o}, {@code claude-sonnet-4-20250514}, ...)
 * @param bedrockModelId        the model's id on Amazon Bedrock, or null when Bedrock does not serve it
 * @param inputUsdPerMillion    USD per million prompt tokens
 * @param outputUsdPerMillion   USD per million completion tokens
 * @param vision                whether the model takes images (the agent then adds a screenshot to each step)
 */
public record ModelInfo(String name, String bedrockModelId, BigDecimal inputUsdPerMillion,
                        BigDecimal outputUsdPerMillion, boolean vision) {
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    public ModelInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inputUsdPerMillion, "inputUsdPerMillion");
        Objects.requireNonNull(outputUsdPerMillion, "outputUsdPerMillion");
    }

    /** The price of a call in USD, unrounded: callers add calls up and round the sum. */
    public BigDecimal cost(long inputTokens, long outputTokens) {
        BigDecimal in = inputUsdPerMillion.multiply(BigDecimal.valueOf(inputTokens));
        BigDecimal out = outputUsdPerMillion.multiply(BigDecimal.valueOf(outputTokens));
        return in.add(out).divide(MILLION, MathContext.DECIMAL64);
    }

    /** A sum of costs as shown to callers: USD rounded to a millionth of a dollar. */
    public static BigDecimal rounded(BigDecimal usd) {
        return usd.setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
    }
}
