package org.cllmlab.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.cllmlab.core.memory.ArrayFootprint;
import org.cllmlab.core.memory.Category;
import org.cllmlab.core.memory.MemoryLedger;
import org.cllmlab.core.model.ModelConfig;
import org.cllmlab.core.model.ParameterLayout;
import org.junit.jupiter.api.Test;

class AdamWTest {

    private final ParameterLayout layout = new ParameterLayout(new ModelConfig(8, 1, 2, 16, 4, 1, 5));

    @Test
    void constructor_momentArrays_areLedgeredAsOptimizerState() {
        MemoryLedger ledger = new MemoryLedger();
        new AdamW(layout, 1e-3f, ledger);
        assertThat(ledger.bytes(Category.OPTIMIZER_STATE)).isEqualTo(2 * ArrayFootprint.floats(layout.size()));
    }

    @Test
    void step_zeroGradient_decaysOnlyMultiRowTensors() {
        AdamW opt = new AdamW(layout, 0.1f, new MemoryLedger());
        float[] p = new float[layout.size()];
        Arrays.fill(p, 2f);

        opt.step(p, new float[p.length]);

        for (ParameterLayout.Tensor t : layout.tensors()) {
            float expected = t.rows() > 1 ? 2f * (1f - 0.1f * 0.01f) : 2f;
            assertThat(AdamW.decays(t)).isEqualTo(t.rows() > 1);
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                assertThat(p[i]).as(t.name()).isEqualTo(expected);
            }
        }
        assertThat(AdamW.decays(layout.tensor("block0.ln1.gain"))).isFalse();
        assertThat(AdamW.decays(layout.tensor("block0.attn.b_qkv"))).isFalse();
        assertThat(AdamW.decays(layout.tensor("block0.mlp.w_fc1"))).isTrue();
        assertThat(AdamW.decays(layout.tensor("tok_emb"))).isTrue();
    }

    @Test
    void step_threeSteps_matchDoublePrecisionReference() {
        float lr = 0.05f;
        AdamW opt = new AdamW(layout, lr, 0.9f, 0.999f, 1e-8f, 0.01f, new MemoryLedger());
        int i = layout.tensor("block0.mlp.w_fc1").offset() + 3;   // decayed
        int j = layout.tensor("lnf.bias").offset() + 1;            // not decayed
        float[] p = new float[layout.size()];
        p[i] = 0.7f;
        p[j] = -0.3f;
        double[] ref = {0.7, -0.3};
        double[] mRef = new double[2];
        double[] vRef = new double[2];
        double[][] grads = {{0.5, -2.0}, {-0.1, 0.3}, {0.25, 0.0}};
        for (int s = 0; s < grads.length; s++) {
            float[] g = new float[layout.size()];
            g[i] = (float) grads[s][0];
            g[j] = (float) grads[s][1];
            opt.step(p, g);
            int t = s + 1;
            for (int k = 0; k < 2; k++) {
                if (k == 0) {
                    ref[k] *= 1 - lr * 0.01;
                }
                mRef[k] = 0.9 * mRef[k] + 0.1 * grads[s][k];
                vRef[k] = 0.999 * vRef[k] + 0.001 * grads[s][k] * grads[s][k];
                double mHat = mRef[k] / (1 - Math.pow(0.9, t));
                double vHat = vRef[k] / (1 - Math.pow(0.999, t));
                ref[k] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
            assertThat((double) p[i]).isCloseTo(ref[0], within(1e-6));
            assertThat((double) p[j]).isCloseTo(ref[1], within(1e-6));
        }
        assertThat(opt.steps()).isEqualTo(3);
    }

    @Test
    void clipGlobalNorm_aboveMax_scalesToMaxAndReturnsPreClipNorm() {
        float[] g = {3f, 4f};
        double norm = AdamW.clipGlobalNorm(g, 1.0);
        assertThat(norm).isEqualTo(5.0);
        assertThat(Math.hypot(g[0], g[1])).isCloseTo(1.0, within(1e-6));
        assertThat((double) g[0]).isCloseTo(0.6, within(1e-6));
    }

    @Test
    void clipGlobalNorm_belowMax_leavesGradientsUnchanged() {
        float[] g = {0.3f, -0.4f};
        double norm = AdamW.clipGlobalNorm(g, 1.0);
        assertThat(norm).isCloseTo(0.5, within(1e-7));
        assertThat(g).containsExactly(0.3f, -0.4f);
    }

    @Test
    void step_everyElement_bitwiseEqualsTheScalarFormula() {
        // Tensors of 8, 24, 128 ... floats: whole vectors, and scalar tails for the odd ones.
        ParameterLayout odd = new ParameterLayout(new ModelConfig(12, 2, 3, 20, 5, 1, 7));
        AdamW opt = new AdamW(odd, 0.01f, new MemoryLedger());
        int n = odd.size();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        float[] p = new float[n];
        float[] mRef = new float[n];
        float[] vRef = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) rnd.nextDouble(-1, 1);
        }
        float[] ref = p.clone();
        for (int step = 1; step <= 3; step++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                g[i] = (float) rnd.nextDouble(-1, 1);
            }
            opt.step(p, g);
            float stepSize = (float) (0.01f / (1.0 - Math.pow(0.9f, step)));
            float bc2Sqrt = (float) Math.sqrt(1.0 - Math.pow(0.999f, step));
            float decay = 1f - 0.01f * 0.01f;
            for (ParameterLayout.Tensor t : odd.tensors()) {
                for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                    float q = AdamW.decays(t) ? ref[i] * decay : ref[i];
                    mRef[i] = 0.9f * mRef[i] + (1f - 0.9f) * g[i];
                    vRef[i] = 0.999f * vRef[i] + (1f - 0.999f) * g[i] * g[i];
                    ref[i] = q - stepSize * mRef[i] / ((float) Math.sqrt(vRef[i]) / bc2Sqrt + 1e-8f);
                }
            }
            for (int i = 0; i < n; i++) {
                assertThat(p[i]).as("parameter %d after step %d", i, step).isEqualTo(ref[i]);
            }
        }
    }

    @Test
    void step_withClipScale_bitwiseEqualsClipThenStep() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        float[] g = new float[layout.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) rnd.nextDouble(-3, 3);
        }
        float[] p1 = new float[g.length];
        float[] p2 = new float[g.length];
        AdamW a1 = new AdamW(layout, 0.01f, new MemoryLedger());
        AdamW a2 = new AdamW(layout, 0.01f, new MemoryLedger());
        float[] clipped = g.clone();

        double norm = AdamW.clipGlobalNorm(clipped, 1.0);
        a1.step(p1, clipped);
        a2.step(p2, g, AdamW.clipScale(AdamW.globalNorm(g), 1.0));

        assertThat(norm).isGreaterThan(1.0);
        assertThat(p2).containsExactly(p1);
        assertThat(AdamW.clipScale(0.5, 1.0)).isEqualTo(1f);
    }
}
