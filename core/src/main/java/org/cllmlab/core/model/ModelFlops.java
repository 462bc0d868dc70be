package org.cllmlab.core.model;

/**
 * The floating-point operations a training step needs per token, by the usual convention for model-FLOP
 * utilisation (MFU): the work the model defines, not what an implementation happens to do. An FMA counts
 * as two FLOP.
 *
 * <p>With {@code d = dModel}, {@code f = dFf}, {@code V = vocab}, {@code N} layers and {@code L = seq}:
 * <ul>
 *   <li><b>Matrix products</b>: {@code 6 · P} per token, where {@code P = N·(4·d² + 2·d·f) + V·d} is the
 *       number of matrix parameters (q, k, v and the output projection, the two MLP layers, and the head
 *       tied to the token embedding, counted once). Forward is {@code 2·P} (a multiply and an add per
 *       parameter), backward twice that (input and weight gradients).</li>
 *   <li><b>Attention</b>: the scores {@code q·kᵀ} and the weighted values {@code P·v} cost {@code 2·d} FLOP
 *       each per (query, key) pair and layer forward, twice that backward: {@code 12·d} per pair and layer.
 *       The causal mask is counted as the model defines it: query {@code i} sees keys {@code 0..i}, so a
 *       sequence has {@code L(L+1)/2} pairs and a token {@code (L+1)/2} on average, giving
 *       {@code 6·N·d·(L+1)} per token. (The kernels compute 32-row blocks of the square, 10/16 of it at
 *       {@code L = 128}, and PaLM's formula counts the full {@code L²}; neither is used here, so the figure
 *       is not inflated by work the mask throws away.)</li>
 *   <li>Not counted: biases, layer norms, GELU, softmax, residual adds, embeddings, the loss and the
 *       optimizer (together well under 1% of the products at the presets).</li>
 * </ul>
 *
 * <p>{@code seed} with the embedded corpus's 788-word vocabulary: {@code P = 6·(4·256² + 2·256·1024) +
 * 788·256 = 4,920,320}, so {@code 6·P = 29,521,920}, attention {@code 6·6·256·129 = 1,188,864}, in all
 * {@code 30,710,784} FLOP per token.
 */
public final class ModelFlops {

    private ModelFlops() {
    }

    /** Matrix parameters {@code N·(4·d² + 2·d·f) + V·d}: every weight of a matrix product, the tied head once. */
    public static long matrixParameters(ModelConfig c) {
        long d = c.dModel();
        return c.layers() * (4 * d * d + 2 * d * c.dFf()) + (long) c.vocab() * d;
    }

    /** {@code 6·P}: the matrix products of forward and backward, per token. */
    public static long matrixProductsPerToken(ModelConfig c) {
        return 6 * matrixParameters(c);
    }

    /** {@code 6·N·d·(L+1)}: attention's score and value products, forward and backward, causal, per token. */
    public static long attentionPerToken(ModelConfig c) {
        return 6L * c.layers() * c.dModel() * (c.seq() + 1L);
    }

    /** Model FLOP per trained token: {@link #matrixProductsPerToken} plus {@link #attentionPerToken}. */
    public static long perToken(ModelConfig c) {
        return matrixProductsPerToken(c) + attentionPerToken(c);
    }

    /**
     * Model-FLOP utilisation: {@code perToken · tokensPerSecond / peakFlops}, where the peak is a single
     * core's FMA peak ({@link org.cllmlab.core.kernel.FmaPeak}) times the cores used, as the caller decides.
     */
    public static double utilisation(ModelConfig c, double tokensPerSecond, double peakFlops) {
        return perToken(c) * tokensPerSecond / peakFlops;
    }
}
