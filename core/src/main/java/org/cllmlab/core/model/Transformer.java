package org.cllmlab.core.model;

import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.memory.MemoryLedger;

/**
 * The GPT-style decoder. Stateless apart from its shape and kernels: forward and backward read the
 * flat parameter buffer and write only into the caller's {@link ActivationCache} and {@link GradientSink},
 * so any number of threads may run them at once on their own caches.
 */
public final class Transformer {

    private final ModelConfig config;
    private final ParameterLayout layout;
    private final Kernels kernels;

    public Transformer(ModelConfig config, Kernels kernels) {
        this.config = config;
        this.layout = new ParameterLayout(config);
        this.kernels = kernels;
    }

    public ModelConfig config() {
        return config;
    }

    public ParameterLayout layout() {
        return layout;
    }

    public Kernels kernels() {
        return kernels;
    }

    /** Fills {@code params} deterministically from {@code seed}. */
    public void initialize(float[] params, long seed) {
        throw new UnsupportedOperationException("not yet");
    }

    /** A cache able to hold {@code capacityRows >= seq} positions, ledgered as activations/workspace. */
    public ActivationCache newCache(int capacityRows, MemoryLedger ledger) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Runs the forward pass and the loss on {@code length} positions starting at {@code offset}.
     *
     * @return the mean cross-entropy over the positions
     */
    public float forward(float[] params, int[] tokens, int[] targets, int offset, int length, ActivationCache cache) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Backward of the last {@link #forward} on {@code cache}; adds {@code scale ×} the gradient into {@code sink}. */
    public void backward(float[] params, ActivationCache cache, float scale, GradientSink sink) {
        throw new UnsupportedOperationException("not yet");
    }
}
