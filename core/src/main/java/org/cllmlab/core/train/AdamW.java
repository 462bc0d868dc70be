package org.cllmlab.core.train;

import org.cllmlab.core.memory.Category;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.model.ParameterLayout;

/**
 * AdamW (Loshchilov &amp; Hutter) with decoupled weight decay, matching PyTorch's {@code torch.optim.AdamW}
 * update: {@code p ← p − lr·wd·p}, then {@code p ← p − lr/(1−β1ᵗ) · m / (√v / √(1−β2ᵗ) + eps)}.
 *
 * <p>Weight decay applies only to tensors with more than one row in {@link ParameterLayout#tensors()}:
 * the linear weights and the token and position embeddings. LayerNorm gains and biases and all bias
 * vectors (one row each) are not decayed.
 *
 * <p>The two moment arrays are ledgered as {@link Category#OPTIMIZER_STATE}. Single-threaded and
 * deterministic: the same gradients give bitwise the same parameters.
 *
 * <p>Where the Vector API is present the update runs on whole vectors ({@code VectorUpdate}); it performs
 * the scalar loop's float operations in the same order, lane by lane (no fused multiply-adds), so both
 * give bitwise the same parameters. The global norm of {@link #clipGlobalNorm} is summed in double over
 * four interleaved partial sums, which lets the additions overlap instead of waiting on each other.
 */
public final class AdamW {

    public static final float DEFAULT_BETA1 = 0.9f;
    public static final float DEFAULT_BETA2 = 0.999f;
    public static final float DEFAULT_EPS = 1e-8f;
    public static final float DEFAULT_WEIGHT_DECAY = 0.01f;

    private final float beta1;
    private final float beta2;
    private final float eps;
    private final float weightDecay;
    private final float[] m;
    private final float[] v;
    /** Per parameter range: [from, to, decayed ? 1 : 0] triples, in layout order. */
    private final int[] ranges;
    private float learningRate;
    private long steps;

    /** AdamW with β1 0.9, β2 0.999, eps 1e-8 and weight decay 0.01. */
    public AdamW(ParameterLayout layout, float learningRate, MemoryLedger ledger) {
        this(layout, learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, DEFAULT_WEIGHT_DECAY, ledger);
    }

    public AdamW(ParameterLayout layout, float learningRate, float beta1, float beta2, float eps,
                 float weightDecay, MemoryLedger ledger) {
        if (!(learningRate >= 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps > 0)
                || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("AdamW: lr=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2
                    + ", eps=" + eps + ", weightDecay=" + weightDecay
                    + "; expected lr >= 0, betas in [0, 1), eps > 0, weightDecay >= 0");
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = ledger.floats(Category.OPTIMIZER_STATE, layout.size());
        this.v = ledger.floats(Category.OPTIMIZER_STATE, layout.size());
        var tensors = layout.tensors();
        this.ranges = new int[3 * tensors.size()];
        for (int i = 0; i < tensors.size(); i++) {
            ParameterLayout.Tensor t = tensors.get(i);
            ranges[3 * i] = t.offset();
            ranges[3 * i + 1] = t.offset() + t.size();
            ranges[3 * i + 2] = t.rows() > 1 ? 1 : 0;
        }
    }

    /** Whether the tensor is weight-decayed: it has more than one row. */
    public static boolean decays(ParameterLayout.Tensor tensor) {
        return tensor.rows() > 1;
    }

    public float learningRate() {
        return learningRate;
    }

    /** Sets the learning rate for the following steps (for schedules). */
    public void setLearningRate(float learningRate) {
        this.learningRate = learningRate;
    }

    /** Steps taken so far. */
    public long steps() {
        return steps;
    }

    /** One update of {@code params} from {@code grads} (both the full layout size). */
    public void step(float[] params, float[] grads) {
        step(params, grads, 1f);
    }

    /**
     * One update from {@code gradScale · grads}, without writing {@code grads}: clipping folded into the
     * update ({@code step(p, g, clipScale(globalNorm(g), max))} equals {@code clipGlobalNorm(g, max)} then
     * {@code step(p, g)} but saves a pass over the gradients). With {@code gradScale == 1} it is
     * {@link #step(float[], float[])}.
     */
    public void step(float[] params, float[] grads, float gradScale) {
        if (params.length != m.length || grads.length != m.length) {
            throw new IllegalArgumentException("step: params " + params.length + ", grads " + grads.length
                    + "; expected both " + m.length);
        }
        steps++;
        float b1 = beta1;
        float b2 = beta2;
        float lr = learningRate;
        float stepSize = (float) (lr / (1.0 - Math.pow(b1, steps)));
        float bc2Sqrt = (float) Math.sqrt(1.0 - Math.pow(b2, steps));
        float decay = 1f - lr * weightDecay;
        for (int r = 0; r < ranges.length; r += 3) {
            int from = ranges[r];
            int to = ranges[r + 1];
            boolean decayed = ranges[r + 2] == 1;
            if (VECTOR) {
                from = VectorUpdate.range(params, grads, m, v, from, to, decayed, gradScale, b1, b2, eps, stepSize,
                        bc2Sqrt, decay);
            }
            for (int i = from; i < to; i++) {
                float g = gradScale == 1f ? grads[i] : grads[i] * gradScale;
                float p = decayed ? params[i] * decay : params[i];
                float mi = b1 * m[i] + (1f - b1) * g;
                float vi = b2 * v[i] + (1f - b2) * g * g;
                m[i] = mi;
                v[i] = vi;
                params[i] = p - stepSize * mi / ((float) Math.sqrt(vi) / bc2Sqrt + eps);
            }
        }
    }

    /**
     * Scales {@code grads} in place so that their L2 norm is at most {@code maxNorm} (as PyTorch's
     * {@code clip_grad_norm_}: by {@code maxNorm / (norm + 1e-6)} when the norm exceeds {@code maxNorm}).
     *
     * @return the norm before clipping, summed in double
     */
    public static double clipGlobalNorm(float[] grads, double maxNorm) {
        double norm = globalNorm(grads);
        float coef = clipScale(norm, maxNorm);
        if (coef != 1f) {
            for (int i = 0; i < grads.length; i++) {
                grads[i] *= coef;
            }
        }
        return norm;
    }

    /** The L2 norm of {@code grads}, summed in double (four interleaved partial sums, in a fixed order). */
    public static double globalNorm(float[] grads) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (int end = grads.length - 3; i < end; i += 4) {
            s0 += (double) grads[i] * grads[i];
            s1 += (double) grads[i + 1] * grads[i + 1];
            s2 += (double) grads[i + 2] * grads[i + 2];
            s3 += (double) grads[i + 3] * grads[i + 3];
        }
        for (; i < grads.length; i++) {
            s0 += (double) grads[i] * grads[i];
        }
        return Math.sqrt((s0 + s1) + (s2 + s3));
    }

    /** The factor {@link #clipGlobalNorm} scales by for a gradient of norm {@code norm}: 1 when within {@code maxNorm}. */
    public static float clipScale(double norm, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm: " + maxNorm + "; expected > 0");
        }
        return norm > maxNorm ? (float) (maxNorm / (norm + 1e-6)) : 1f;
    }

    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** The update on the Vector API; resolved only when the module is present. */
    private static final class VectorUpdate {

        private static final jdk.incubator.vector.VectorSpecies<Float> S =
                jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;

        /**
         * Updates the whole vectors of {@code [from, to)} with the scalar loop's operations in its order;
         * returns where the scalar loop takes over.
         */
        static int range(float[] params, float[] grads, float[] m, float[] v, int from, int to, boolean decayed,
                         float gradScale, float b1, float b2, float eps, float stepSize, float bc2Sqrt, float decay) {
            int i = from;
            int end = from + S.loopBound(to - from);
            for (; i < end; i += S.length()) {
                var g = jdk.incubator.vector.FloatVector.fromArray(S, grads, i);
                if (gradScale != 1f) {
                    g = g.mul(gradScale);
                }
                var p = jdk.incubator.vector.FloatVector.fromArray(S, params, i);
                if (decayed) {
                    p = p.mul(decay);
                }
                var mi = jdk.incubator.vector.FloatVector.fromArray(S, m, i).mul(b1).add(g.mul(1f - b1));
                var vi = jdk.incubator.vector.FloatVector.fromArray(S, v, i).mul(b2).add(g.mul(1f - b2).mul(g));
                mi.intoArray(m, i);
                vi.intoArray(v, i);
                p.sub(mi.mul(stepSize).div(vi.sqrt().div(bc2Sqrt).add(eps))).intoArray(params, i);
            }
            return i;
        }
    }
}
