package org.cllmlab.core.model;

/**
 * The shape of the decoder-only transformer and of one global batch.
 *
 * @param dModel width of the residual stream
 * @param layers number of transformer blocks
 * @param heads  attention heads per block; must divide {@code dModel}
 * @param dFf    hidden width of the MLP
 * @param seq    tokens per work item (context length)
 * @param batch  work items per global batch
 * @param vocab  vocabulary size (taken from the data for the presets)
 */
public record ModelConfig(int dModel, int layers, int heads, int dFf, int seq, int batch, int vocab) {

    public ModelConfig {
        positive("d_model", dModel);
        positive("layers", layers);
        positive("heads", heads);
        positive("d_ff", dFf);
        positive("seq", seq);
        positive("batch", batch);
        positive("vocab", vocab);
        if (dModel % heads != 0) {
            throw new IllegalArgumentException(
                    "heads: " + heads + " does not divide d_model " + dModel + "; expected a divisor of d_model");
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + ": " + value + "; expected a positive integer");
        }
    }

    /** Width of one attention head. */
    public int headDim() {
        return dModel / heads;
    }

    public ModelConfig withVocab(int newVocab) {
        return new ModelConfig(dModel, layers, heads, dFf, seq, batch, newVocab);
    }

    public ModelConfig withBatch(int newBatch) {
        return new ModelConfig(dModel, layers, heads, dFf, seq, newBatch, vocab);
    }

    public ModelConfig withSeq(int newSeq) {
        return new ModelConfig(dModel, layers, heads, dFf, newSeq, batch, vocab);
    }

    /** Tokens in one global batch. */
    public int tokensPerBatch() {
        return seq * batch;
    }
}
