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
            for (int i = from; i < to; i++) {
                float g = grads[i];
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
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm: " + maxNorm + "; expected > 0");
        }
        double sum = 0;
        for (float g : grads) {
            sum += (double) g * g;
        }
        double norm = Math.sqrt(sum);
        if (norm > maxNorm) {
            float coef = (float) (maxNorm / (norm + 1e-6));
            for (int i = 0; i < grads.length; i++) {
                grads[i] *= coef;
            }
        }
        return norm;
    }
}
