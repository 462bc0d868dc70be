package org.cllmlab.core.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where forward and backward passes spent their wall time, in nanoseconds, by family of operation: what
 * {@link ActivationCache#profile()} and {@link Transformer#profile()} return. The families cover every
 * operation of a pass, so {@link #total()} is the passes' time less the few nanoseconds between timings
 * (argument checks, token copies).
 *
 * @param matrixProducts every {@link org.cllmlab.core.kernel.Kernels#gemm} call (the linear maps with their
 *                       bias add and bias gradient, the tied head, and attention's four products)
 * @param attention      attention's softmax, causal mask and softmax backward (between its products)
 * @param layerNorm      layer norms, forward and backward
 * @param gelu           GELU, forward and backward
 * @param residual       residual adds, the embedding lookups and their gradient, and zeroing the residual
 *                       gradient
 * @param crossEntropy   the loss and its gradient
 */
public record OpTimes(long matrixProducts, long attention, long layerNorm, long gelu, long residual,
                      long crossEntropy) {

    /** No time at all. */
    public static final OpTimes ZERO = new OpTimes(0, 0, 0, 0, 0, 0);

    // Indices of the families in a cache's counter array, in the order of the components.
    static final int PRODUCTS = 0;
    static final int ATTENTION = 1;
    static final int LAYER_NORM = 2;
    static final int GELU = 3;
    static final int RESIDUAL = 4;
    static final int CROSS_ENTROPY = 5;
    static final int FAMILIES = 6;

    static OpTimes of(long[] nanos) {
        return new OpTimes(nanos[PRODUCTS], nanos[ATTENTION], nanos[LAYER_NORM], nanos[GELU], nanos[RESIDUAL],
                nanos[CROSS_ENTROPY]);
    }

    /** The sum of all families. */
    public long total() {
        return matrixProducts + attention + layerNorm + gelu + residual + crossEntropy;
    }

    /** Family by family, the sum of this and {@code other}. */
    public OpTimes plus(OpTimes other) {
        return new OpTimes(matrixProducts + other.matrixProducts, attention + other.attention,
                layerNorm + other.layerNorm, gelu + other.gelu, residual + other.residual,
                crossEntropy + other.crossEntropy);
    }

    /** Family by family, this less {@code other} (the passes of one cache taken out of a model's sum). */
    public OpTimes minus(OpTimes other) {
        return new OpTimes(matrixProducts - other.matrixProducts, attention - other.attention,
                layerNorm - other.layerNorm, gelu - other.gelu, residual - other.residual,
                crossEntropy - other.crossEntropy);
    }

    /**
     * The families under stable names, in a fixed order, for summaries and result files:
     * {@code matrix-products}, {@code attention}, {@code layer-norm}, {@code gelu}, {@code residual},
     * {@code cross-entropy}.
     */
    public Map<String, Long> byName() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("matrix-products", matrixProducts);
        m.put("attention", attention);
        m.put("layer-norm", layerNorm);
        m.put("gelu", gelu);
        m.put("residual", residual);
        m.put("cross-entropy", crossEntropy);
        return m;
    }
}
