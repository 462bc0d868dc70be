package org.cllmlab.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.kernel.ReferenceKernels;
import org.cllmlab.core.memory.MemoryLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransformerGradientTest {

    /** The kernel under test; a subclass runs every check again with a faster kernel. */
    Kernels newKernels() {
        return new ReferenceKernels();
    }

    static final ModelConfig SMALL = new ModelConfig(16, 2, 2, 32, 8, 1, 11);

    /** Init, then spread every parameter so that gradients are far from zero and float noise is small beside them. */
    static float[] spreadParams(Transformer model, long seed) {
        ParameterLayout layout = model.layout();
        float[] p = new float[layout.size()];
        model.initialize(p, seed);
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) (0.3 * GradCheck.gaussian(rnd));
        }
        return p;
    }

    static int[] randomTokens(SplittableRandom rnd, int n, int vocab) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = rnd.nextInt(vocab);
        }
        return t;
    }

    private static float[] analytic(Transformer model, float[] p, int[] tokens, int[] targets, int offset, int length) {
        ActivationCache cache = model.newCache(model.config().seq(), new MemoryLedger());
        model.forward(p, tokens, targets, offset, length, cache);
        float[] g = new float[p.length];
        model.backward(p, cache, 1f, GradientSink.of(g));
        return g;
    }

    private static List<GradCheck.Mismatch> checkTensors(Transformer model, float[] p, float[] g, int[] tokens,
                                                         int[] targets, int offset, int length, GradCheck check,
                                                         int samplesPerTensor) {
        ActivationCache cache = model.newCache(model.config().seq(), new MemoryLedger());
        SplittableRandom rnd = new SplittableRandom(7);
        List<GradCheck.Mismatch> all = new ArrayList<>();
        for (ParameterLayout.Tensor t : model.layout().tensors()) {
            int[] idx = samplesPerTensor <= 0
                    ? GradCheck.range(t.offset(), t.offset() + t.size())
                    : GradCheck.sample(rnd, t.offset(), t.offset() + t.size(), samplesPerTensor);
            all.addAll(check.check(t.name(), p, idx,
                    () -> model.forwardLoss(p, tokens, targets, offset, length, cache), i -> g[i]));
        }
        return all;
    }

    @ParameterizedTest(name = "length={0}")
    @ValueSource(ints = {8, 5})
    void backward_everyCoordinateOfEveryTensor_matchesFiniteDifferences(int length) {
        Transformer model = new Transformer(SMALL, newKernels());
        float[] p = spreadParams(model, 11);
        SplittableRandom rnd = new SplittableRandom(3);
        int offset = 2;
        int[] tokens = randomTokens(rnd, offset + length + 1, SMALL.vocab());
        int[] targets = randomTokens(rnd, offset + length + 1, SMALL.vocab());
        float[] g = analytic(model, p, tokens, targets, offset, length);
        GradCheck check = new GradCheck(1e-2, 2e-4, 1e-2);

        List<GradCheck.Mismatch> mismatches = checkTensors(model, p, g, tokens, targets, offset, length, check, 0);

        assertThat(mismatches).isEmpty();
        for (ParameterLayout.Tensor t : model.layout().tensors()) {
            if (!t.name().equals("pos_emb") || length == SMALL.seq()) {
                assertThat(maxAbs(g, t.offset(), t.size())).as("gradient of %s", t.name()).isGreaterThan(1e-3);
            }
        }
    }

    @Test
    void backward_tinyPresetSampledCoordinates_matchesFiniteDifferences() {
        ModelConfig config = Preset.TINY.config(23);
        Transformer model = new Transformer(config, newKernels());
        float[] p = spreadParams(model, 5);
        SplittableRandom rnd = new SplittableRandom(4);
        int[] tokens = randomTokens(rnd, config.seq(), config.vocab());
        int[] targets = randomTokens(rnd, config.seq(), config.vocab());
        float[] g = analytic(model, p, tokens, targets, 0, config.seq());
        GradCheck check = new GradCheck(1e-2, 2e-4, 2e-2);

        List<GradCheck.Mismatch> mismatches = checkTensors(model, p, g, tokens, targets, 0, config.seq(), check, 4);

        assertThat(mismatches).isEmpty();
    }

    @Test
    void gradCheck_corruptedCoordinate_isFlagged() {
        Transformer model = new Transformer(SMALL, newKernels());
        float[] p = spreadParams(model, 11);
        SplittableRandom rnd = new SplittableRandom(3);
        int[] tokens = randomTokens(rnd, SMALL.seq(), SMALL.vocab());
        int[] targets = randomTokens(rnd, SMALL.seq(), SMALL.vocab());
        float[] g = analytic(model, p, tokens, targets, 0, SMALL.seq());
        ParameterLayout layout = model.layout();
        int flipped = argMaxAbs(g, layout.tensor("block1.attn.w_qkv"));
        int scaled = argMaxAbs(g, layout.tensor("block0.ln1.gain"));
        int shifted = argMaxAbs(g, layout.tensor("pos_emb"));
        g[flipped] = -g[flipped];
        g[scaled] *= 1.05f;
        g[shifted] += 0.01f;
        GradCheck check = new GradCheck(1e-2, 2e-4, 1e-2);

        List<GradCheck.Mismatch> mismatches = checkTensors(model, p, g, tokens, targets, 0, SMALL.seq(), check, 0);

        assertThat(mismatches).extracting(GradCheck.Mismatch::index).containsExactlyInAnyOrder(flipped, scaled, shifted);
    }

    @Test
    void backward_scale_multipliesTheGradient() {
        Transformer model = new Transformer(SMALL, newKernels());
        float[] p = spreadParams(model, 2);
        SplittableRandom rnd = new SplittableRandom(1);
        int[] tokens = randomTokens(rnd, SMALL.seq(), SMALL.vocab());
        int[] targets = randomTokens(rnd, SMALL.seq(), SMALL.vocab());
        ActivationCache cache = model.newCache(SMALL.seq(), new MemoryLedger());
        model.forward(p, tokens, targets, 0, SMALL.seq(), cache);
        float[] once = new float[p.length];
        float[] quarter = new float[p.length];
        model.backward(p, cache, 1f, GradientSink.of(once));
        model.backward(p, cache, 0.25f, GradientSink.of(quarter));

        for (int i = 0; i < p.length; i++) {
            // Scaling by a power of two is exact in float arithmetic.
            assertThat(quarter[i]).isEqualTo(once[i] * 0.25f);
        }
    }

    static double maxAbs(float[] g, int from, int n) {
        double m = 0;
        for (int i = from; i < from + n; i++) {
            m = Math.max(m, Math.abs(g[i]));
        }
        return m;
    }

    private static int argMaxAbs(float[] g, ParameterLayout.Tensor t) {
        int best = t.offset();
        for (int i = t.offset(); i < t.offset() + t.size(); i++) {
            if (Math.abs(g[i]) > Math.abs(g[best])) {
                best = i;
            }
        }
        return best;
    }
}
