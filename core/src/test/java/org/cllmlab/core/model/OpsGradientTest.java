package org.cllmlab.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.kernel.ReferenceKernels;
import org.junit.jupiter.api.Test;

/** Each operation of the model checked alone: objective {@code J = Σ out ⊙ R} for a fixed random R. */
class OpsGradientTest {

    private final Kernels kernels = newKernels();

    /** The kernel under test; a subclass runs every check again with a faster kernel. */
    Kernels newKernels() {
        return new ReferenceKernels();
    }
    private final SplittableRandom rnd = new SplittableRandom(2024);
    private final GradCheck check = new GradCheck(1e-2, 1e-3, 1e-2);

    @Test
    void embedding_tokenAndPositionGradients_matchFiniteDifferences() {
        int vocab = 7;
        int seq = 5;
        int d = 4;
        int tokEmb = 3;          // a non-zero offset, as in the real buffer
        int posEmb = tokEmb + vocab * d;
        float[] p = GradCheck.gaussian(rnd, posEmb + seq * d + 2, 1.0);
        int[] tokens = {9, 2, 5, 2, 0, 2, 6}; // repeated token 2; the pass reads from offset 1
        int offset = 1;
        int length = 5;
        float[] out = new float[length * d];
        float[] r = GradCheck.gaussian(rnd, length * d, 1.0);
        float[] g = new float[p.length];
        Ops.embeddingBackward(r, d, tokens, offset, length, g, tokEmb, posEmb);

        var mismatches = check.check("embedding", p, GradCheck.range(0, p.length), () -> {
            Ops.embeddingForward(p, tokEmb, posEmb, d, tokens, offset, length, out);
            return GradCheck.dot(out, r, out.length);
        }, i -> g[i]);

        assertThat(mismatches).isEmpty();
        assertThat(g[tokEmb + 2 * d]).isEqualTo(r[0] + r[2 * d] + r[4 * d]);
    }

    @Test
    void layerNorm_inputGainAndBiasGradients_matchFiniteDifferences() {
        int length = 3;
        int d = 8;
        float[] x = GradCheck.gaussian(rnd, length * d, 2.0);
        float[] p = GradCheck.gaussian(rnd, 2 * d + 1, 1.0);
        int gain = 1;
        int bias = 1 + d;
        float[] out = new float[length * d];
        float[] mean = new float[length];
        float[] rstd = new float[length];
        float[] r = GradCheck.gaussian(rnd, length * d, 1.0);
        Ops.layerNormForward(x, length, d, p, gain, bias, out, mean, rstd);
        float[] dx = new float[x.length];
        float[] g = new float[p.length];
        Ops.layerNormBackward(r, x, mean, rstd, length, d, p, gain, dx, g, gain, bias);
        java.util.function.DoubleSupplier j = () -> {
            Ops.layerNormForward(x, length, d, p, gain, bias, out, mean, rstd);
            return GradCheck.dot(out, r, out.length);
        };

        assertThat(check.check("ln.x", x, GradCheck.range(0, x.length), j, i -> dx[i])).isEmpty();
        assertThat(check.check("ln.p", p, GradCheck.range(1, p.length), j, i -> g[i])).isEmpty();
    }

    @Test
    void layerNorm_output_hasZeroMeanAndUnitVariancePerRow() {
        int d = 16;
        float[] x = GradCheck.gaussian(rnd, d, 3.0);
        float[] p = new float[2 * d];
        java.util.Arrays.fill(p, 0, d, 1f);
        float[] out = new float[d];
        Ops.layerNormForward(x, 1, d, p, 0, d, out, new float[1], new float[1]);
        double mean = 0;
        double var = 0;
        for (float v : out) {
            mean += v / (double) d;
        }
        for (float v : out) {
            var += (v - mean) * (v - mean) / d;
        }
        assertThat(mean).isCloseTo(0, within(1e-6));
        assertThat(var).isCloseTo(1, within(1e-4));
    }

    @Test
    void causalAttention_qkvGradients_matchFiniteDifferences() {
        int length = 5;
        int d = 8;
        int heads = 2;
        float[] qkv = GradCheck.gaussian(rnd, length * 3 * d, 1.0);
        float[] att = new float[heads * length * length];
        float[] y = new float[length * d];
        float[] r = GradCheck.gaussian(rnd, length * d, 1.0);
        Ops.attentionForward(kernels, qkv, length, d, heads, att, y);
        float[] dQkv = new float[qkv.length];
        Ops.attentionBackward(kernels, qkv, att, r, length, d, heads, new float[length * length], dQkv);

        var mismatches = check.check("attention", qkv, GradCheck.range(0, qkv.length), () -> {
            Ops.attentionForward(kernels, qkv, length, d, heads, att, y);
            return GradCheck.dot(y, r, y.length);
        }, i -> dQkv[i]);

        assertThat(mismatches).isEmpty();
        // The first position attends only to itself: its output is its own value vector.
        for (int c = 0; c < d; c++) {
            assertThat(y[c]).isCloseTo(qkv[2 * d + c], within(1e-6f));
        }
    }

    @Test
    void causalAttention_inRowBlocks_qkvGradients_matchFiniteDifferences() {
        int length = 5;
        int d = 8;
        int heads = 2;
        int rowBlock = 2; // blocks of 2, 2 and 1 rows
        float[] qkv = GradCheck.gaussian(rnd, length * 3 * d, 1.0);
        float[] att = new float[heads * length * length];
        float[] y = new float[length * d];
        float[] r = GradCheck.gaussian(rnd, length * d, 1.0);
        Ops.attentionForward(kernels, qkv, length, d, heads, att, y, rowBlock);
        float[] dQkv = new float[qkv.length];
        Ops.attentionBackward(kernels, qkv, att, r, length, d, heads, new float[length * length], dQkv, rowBlock);

        var mismatches = check.check("attention", qkv, GradCheck.range(0, qkv.length), () -> {
            Ops.attentionForward(kernels, qkv, length, d, heads, att, y, rowBlock);
            return GradCheck.dot(y, r, y.length);
        }, i -> dQkv[i]);

        assertThat(mismatches).isEmpty();
    }

    @Test
    void causalAttention_inRowBlocks_equalsTheFullSquare() {
        int length = 70;
        int d = 24;
        int heads = 3;
        float[] qkv = GradCheck.gaussian(rnd, length * 3 * d, 1.0);
        float[] dy = GradCheck.gaussian(rnd, length * d, 1.0);
        float[] att = new float[heads * length * length];
        float[] y = new float[length * d];
        float[] dQkv = new float[qkv.length];
        Ops.attentionForward(kernels, qkv, length, d, heads, att, y, length);
        Ops.attentionBackward(kernels, qkv, att, dy, length, d, heads, new float[length * length], dQkv, length);
        for (int rowBlock : new int[] {1, 7, 32, Ops.ATTENTION_ROW_BLOCK}) {
            float[] att2 = new float[att.length];
            float[] y2 = new float[y.length];
            float[] dQkv2 = new float[dQkv.length];
            java.util.Arrays.fill(att2, Float.NaN); // every entry, masked ones included, must be written
            java.util.Arrays.fill(dQkv2, Float.NaN);
            Ops.attentionForward(kernels, qkv, length, d, heads, att2, y2, rowBlock);
            Ops.attentionBackward(kernels, qkv, att2, dy, length, d, heads, new float[length * length], dQkv2,
                    rowBlock);
            assertThat(att2).as("att, row block %d", rowBlock).containsExactly(att, within(1e-6f));
            assertThat(y2).as("y, row block %d", rowBlock).containsExactly(y, within(1e-5f));
            assertThat(dQkv2).as("dQkv, row block %d", rowBlock).containsExactly(dQkv, within(1e-5f));
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < length; i++) {
                    for (int j = i + 1; j < length; j++) {
                        assertThat(att2[h * length * length + i * length + j]).isZero();
                    }
                }
            }
        }
    }

    @Test
    void gelu_values_matchTanhApproximation() {
        float[] h = {-3f, -1f, 0f, 0.5f, 1f, 2f};
        float[] out = new float[h.length];
        Ops.geluForward(h, out, h.length);
        // torch.nn.functional.gelu(x, approximate='tanh')
        assertThat(out).containsExactly(new float[] {-0.0036373483f, -0.15880796f, 0f, 0.34571401f, 0.84119201f, 1.9545977f},
                within(1e-6f));
    }

    @Test
    void gelu_gradient_matchesFiniteDifferences() {
        int n = 40;
        float[] h = new float[n];
        for (int i = 0; i < n; i++) {
            h[i] = -4f + 8f * i / (n - 1);
        }
        float[] out = new float[n];
        float[] r = GradCheck.gaussian(rnd, n, 1.0);
        float[] dh = new float[n];
        Ops.geluBackward(h, r, dh, n);

        var mismatches = check.check("gelu", h, GradCheck.range(0, n), () -> {
            Ops.geluForward(h, out, n);
            return GradCheck.dot(out, r, n);
        }, i -> dh[i]);

        assertThat(mismatches).isEmpty();
    }

    @Test
    void geluMlp_inputWeightAndBiasGradients_matchFiniteDifferences() {
        int length = 4;
        int d = 6;
        int ff = 10;
        int wFc1 = 2;
        int bFc1 = wFc1 + ff * d;
        int wFc2 = bFc1 + ff;
        int bFc2 = wFc2 + d * ff;
        float[] p = GradCheck.gaussian(rnd, bFc2 + d, 0.5);
        float[] x = GradCheck.gaussian(rnd, length * d, 1.0);
        float[] h = new float[length * ff];
        float[] a = new float[length * ff];
        float[] y = new float[length * d];
        float[] r = GradCheck.gaussian(rnd, length * d, 1.0);
        java.util.function.DoubleSupplier j = () -> {
            Ops.linearForward(kernels, x, length, d, p, wFc1, bFc1, ff, h);
            Ops.geluForward(h, a, h.length);
            Ops.linearForward(kernels, a, length, ff, p, wFc2, bFc2, d, y);
            return GradCheck.dot(y, r, y.length);
        };
        j.getAsDouble();
        float[] g = new float[p.length];
        float[] da = new float[a.length];
        float[] dx = new float[x.length];
        Ops.linearBackward(kernels, r, a, length, ff, d, p, wFc2, g, wFc2, bFc2, da);
        Ops.geluBackward(h, da, da, da.length);
        Ops.linearBackward(kernels, da, x, length, d, ff, p, wFc1, g, wFc1, bFc1, dx);

        assertThat(check.check("mlp.x", x, GradCheck.range(0, x.length), j, i -> dx[i])).isEmpty();
        assertThat(check.check("mlp.p", p, GradCheck.range(wFc1, p.length), j, i -> g[i])).isEmpty();
    }

    @Test
    void tiedHead_embeddingGetsLookupAndHeadGradients_matchingFiniteDifferences() {
        int vocab = 9;
        int seq = 4;
        int d = 5;
        int tokEmb = 0;
        int posEmb = vocab * d;
        float[] p = GradCheck.gaussian(rnd, posEmb + seq * d, 1.0);
        int[] tokens = {3, 7, 3, 1};
        float[] x = new float[seq * d];
        float[] logits = new float[seq * vocab];
        float[] r = GradCheck.gaussian(rnd, seq * vocab, 1.0);
        java.util.function.DoubleSupplier j = () -> {
            Ops.embeddingForward(p, tokEmb, posEmb, d, tokens, 0, seq, x);
            Ops.linearForward(kernels, x, seq, d, p, tokEmb, -1, vocab, logits);
            return GradCheck.dot(logits, r, logits.length);
        };
        j.getAsDouble();
        float[] g = new float[p.length];
        float[] dx = new float[x.length];
        Ops.linearBackward(kernels, r, x, seq, d, vocab, p, tokEmb, g, tokEmb, -1, dx);
        float[] headOnly = g.clone();
        Ops.embeddingBackward(dx, d, tokens, 0, seq, g, tokEmb, posEmb);

        assertThat(check.check("tied", p, GradCheck.range(0, p.length), j, i -> g[i])).isEmpty();
        // Token 7 is looked up, so its row has both contributions; token 0 is not, so only the head's.
        assertThat(g[tokEmb + 7 * d]).isNotEqualTo(headOnly[tokEmb + 7 * d]);
        assertThat(g[tokEmb]).isEqualTo(headOnly[tokEmb]);
    }

    @Test
    void crossEntropy_gradient_matchesFiniteDifferences() {
        int length = 4;
        int vocab = 6;
        float[] logits = GradCheck.gaussian(rnd, length * vocab, 3.0);
        int[] targets = {0, 5, 2, 2, 1};
        float[] dLogits = new float[logits.length];
        Ops.crossEntropyBackward(logits, length, vocab, targets, 1, 1f, dLogits);

        var mismatches = check.check("ce", logits, GradCheck.range(0, logits.length),
                () -> Ops.crossEntropyForward(logits, length, vocab, targets, 1), i -> dLogits[i]);

        assertThat(mismatches).isEmpty();
    }

    @Test
    void crossEntropy_hugeLogits_isFiniteAndExact() {
        float[] logits = {10000f, 0f, -10000f, 10000f};
        int[] targets = {1, 3};
        // Row 0: log(e^10000 + 1 + e^-10000) - 0 ≈ 10000; row 1 (one column): 0.
        double loss = Ops.crossEntropyForward(logits, 1, 3, targets, 0);
        assertThat(loss).isCloseTo(10000.0, within(1e-9));

        float[] uniform = {1f, 1f, 1f, 1f};
        assertThat(Ops.crossEntropyForward(uniform, 1, 4, new int[] {2}, 0)).isCloseTo(Math.log(4), within(1e-12));
        float[] d = new float[3];
        Ops.crossEntropyBackward(logits, 1, 3, targets, 0, 2f, d);
        assertThat(d).containsExactly(new float[] {2f, -2f, 0f}, within(1e-6f));
    }
}
