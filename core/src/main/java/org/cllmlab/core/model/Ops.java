package org.cllmlab.core.model;

import org.cllmlab.core.kernel.Kernels;

/**
 * The transformer's operations, forward and backward, as static functions over flat arrays. The
 * {@link Transformer} is composed of exactly these functions; they are package-private so tests can
 * check each one's gradient on its own.
 *
 * <p>Conventions: activations are row-major {@code [L, width]} with leading dimension {@code width}
 * starting at index 0; parameters and their gradients are addressed by an offset into their arrays.
 * Backward functions <em>add</em> into parameter gradients. Every matrix product goes through
 * {@link Kernels#gemm}.
 *
 * <p>Where the Vector API is present ({@link Kernels#vectorApiAvailable()}), the row-wise operations
 * (layer norm, softmax, GELU, cross-entropy, the residual and bias adds) run as {@link VectorOps}, one
 * pass per row where the scalar code below makes two or three; otherwise the scalar code runs, which C2
 * partly auto-vectorises. Both compute the same functions in float (sums in another order, exp and
 * tanh to a few ulps), so results agree to float rounding.
 */
final class Ops {

    /** Whether the row-wise operations run on the Vector API ({@link VectorOps}). */
    static final boolean VECTOR = Kernels.vectorApiAvailable();

    static final float LN_EPS = 1e-5f;
    /** sqrt(2 / π), the constant of the tanh approximation of GELU. */
    private static final double GELU_C = Math.sqrt(2.0 / Math.PI);
    private static final double GELU_A = 0.044715;

    private Ops() {
    }

    // ---------------------------------------------------------------- embeddings

    /** {@code out[t] = tokEmb[tokens[offset + t]] + posEmb[t]}; out is {@code [L, d]}. */
    static void embeddingForward(float[] p, int tokEmb, int posEmb, int d,
                                 int[] tokens, int offset, int length, float[] out) {
        embeddingForward(p, tokEmb, posEmb, d, tokens, offset, length, out, 0);
    }

    /** {@link #embeddingForward} into the rows of {@code out} that start at {@code outRow}. */
    static void embeddingForward(float[] p, int tokEmb, int posEmb, int d,
                                 int[] tokens, int offset, int length, float[] out, int outRow) {
        int o0 = outRow * d;
        if (VECTOR) {
            for (int t = 0; t < length; t++) {
                VectorOps.add(p, tokEmb + tokens[offset + t] * d, p, posEmb + t * d, out, o0 + t * d, d);
            }
            return;
        }
        for (int t = 0; t < length; t++) {
            int tok = tokEmb + tokens[offset + t] * d;
            int pos = posEmb + t * d;
            int o = o0 + t * d;
            for (int i = 0; i < d; i++) {
                out[o + i] = p[tok + i] + p[pos + i];
            }
        }
    }

    /** Adds {@code dOut[t]} into the gradient rows of token {@code tokens[offset + t]} and of position {@code t}. */
    static void embeddingBackward(float[] dOut, int d, int[] tokens, int offset, int length,
                                  float[] g, int gTokEmb, int gPosEmb) {
        embeddingBackward(dOut, 0, d, tokens, offset, length, g, gTokEmb, gPosEmb);
    }

    /** {@link #embeddingBackward} from the rows of {@code dOut} that start at {@code row0}. */
    static void embeddingBackward(float[] dOut, int row0, int d, int[] tokens, int offset, int length,
                                  float[] g, int gTokEmb, int gPosEmb) {
        for (int t = 0; t < length; t++) {
            int tok = gTokEmb + tokens[offset + t] * d;
            int pos = gPosEmb + t * d;
            int o = (row0 + t) * d;
            for (int i = 0; i < d; i++) {
                float v = dOut[o + i];
                g[tok + i] += v;
                g[pos + i] += v;
            }
        }
    }

    // ---------------------------------------------------------------- layer norm

    /**
     * LayerNorm over the last dimension with eps {@value #LN_EPS}: {@code out = (x - mean) · rstd · gain + bias}.
     * Stores {@code mean[t]} and {@code rstd[t] = 1 / sqrt(var + eps)} (biased variance) for the backward.
     */
    static void layerNormForward(float[] x, int length, int d, float[] p, int gain, int bias,
                                 float[] out, float[] mean, float[] rstd) {
        if (VECTOR) {
            for (int t = 0; t < length; t++) {
                VectorOps.layerNormRow(x, t * d, d, p, gain, bias, out, mean, rstd, t);
            }
            return;
        }
        for (int t = 0; t < length; t++) {
            int o = t * d;
            float sum = 0f;
            for (int i = 0; i < d; i++) {
                sum += x[o + i];
            }
            float mu = sum / d;
            float sq = 0f;
            for (int i = 0; i < d; i++) {
                float c = x[o + i] - mu;
                sq += c * c;
            }
            float r = (float) (1.0 / Math.sqrt(sq / d + LN_EPS));
            mean[t] = mu;
            rstd[t] = r;
            for (int i = 0; i < d; i++) {
                out[o + i] = (x[o + i] - mu) * r * p[gain + i] + p[bias + i];
            }
        }
    }

    /**
     * Backward of {@link #layerNormForward}: adds the input gradient into {@code dx} and the gain and
     * bias gradients into {@code g}.
     */
    static void layerNormBackward(float[] dOut, float[] x, float[] mean, float[] rstd, int length, int d,
                                  float[] p, int gain, float[] dx, float[] g, int gGain, int gBias) {
        layerNormBackward(dOut, x, mean, rstd, length, d, p, gain, true, dx, g, gGain, gBias);
    }

    /**
     * {@link #layerNormBackward} that adds the input gradient into {@code dx} when {@code accumulate},
     * and writes it there (ignoring what {@code dx} held) when not.
     */
    static void layerNormBackward(float[] dOut, float[] x, float[] mean, float[] rstd, int length, int d,
                                  float[] p, int gain, boolean accumulate, float[] dx, float[] g, int gGain,
                                  int gBias) {
        if (VECTOR) {
            for (int t = 0; t < length; t++) {
                VectorOps.layerNormBackwardRow(dOut, x, t * d, d, mean[t], rstd[t], p, gain, accumulate, dx, g,
                        gGain, gBias);
            }
            return;
        }
        for (int t = 0; t < length; t++) {
            int o = t * d;
            float mu = mean[t];
            float r = rstd[t];
            float sumDxhat = 0f;
            float sumDxhatXhat = 0f;
            for (int i = 0; i < d; i++) {
                float xhat = (x[o + i] - mu) * r;
                float dy = dOut[o + i];
                float dxhat = dy * p[gain + i];
                sumDxhat += dxhat;
                sumDxhatXhat += dxhat * xhat;
                g[gGain + i] += dy * xhat;
                g[gBias + i] += dy;
            }
            float meanDxhat = sumDxhat / d;
            float meanDxhatXhat = sumDxhatXhat / d;
            for (int i = 0; i < d; i++) {
                float xhat = (x[o + i] - mu) * r;
                float dxhat = dOut[o + i] * p[gain + i];
                float v = r * (dxhat - meanDxhat - xhat * meanDxhatXhat);
                dx[o + i] = accumulate ? dx[o + i] + v : v;
            }
        }
    }

    // ---------------------------------------------------------------- linear maps

    /**
     * {@code y = x · Wᵀ + b} with {@code x [L, in]}, {@code W [out, in]} at {@code w}, {@code b [out]} at
     * {@code bias} (or no bias when {@code bias < 0}), {@code y [L, out]}.
     */
    static void linearForward(Kernels kernels, float[] x, int length, int in, float[] p, int w, int bias,
                              int out, float[] y) {
        if (bias >= 0) {
            for (int t = 0; t < length; t++) {
                System.arraycopy(p, bias, y, t * out, out);
            }
        }
        kernels.gemm(false, true, length, out, in, 1f, x, 0, in, p, w, in, bias >= 0 ? 1f : 0f, y, 0, out);
    }

    /** {@code y += x · Wᵀ} with {@code x [L, in]}, {@code W [out, in]} at {@code w}, {@code y [L, out]}. */
    static void linearAccumulate(Kernels kernels, float[] x, int length, int in, float[] p, int w, int out,
                                 float[] y) {
        kernels.gemm(false, true, length, out, in, 1f, x, 0, in, p, w, in, 1f, y, 0, out);
    }

    /** {@code out[t] = src[t] + b} for rows {@code t < L} of width {@code d}, {@code b [d]} at {@code bias}. */
    static void addBias(float[] src, float[] p, int bias, int length, int d, float[] out) {
        for (int t = 0; t < length; t++) {
            int o = t * d;
            if (VECTOR) {
                VectorOps.add(src, o, p, bias, out, o, d);
            } else {
                for (int i = 0; i < d; i++) {
                    out[o + i] = src[o + i] + p[bias + i];
                }
            }
        }
    }

    /**
     * Backward of {@link #linearForward}: adds {@code dyᵀ · x} into the weight gradient at {@code gW} and the
     * column sums of {@code dy} into the bias gradient at {@code gB} (none when {@code gB < 0}); writes
     * (overwrites) {@code dx = dy · W} unless {@code dx} is null.
     */
    static void linearBackward(Kernels kernels, float[] dy, float[] x, int length, int in, int out,
                               float[] p, int w, float[] g, int gW, int gB, float[] dx) {
        if (gB >= 0) {
            for (int t = 0; t < length; t++) {
                int o = t * out;
                if (VECTOR) {
                    VectorOps.add(g, gB, dy, o, g, gB, out);
                } else {
                    for (int j = 0; j < out; j++) {
                        g[gB + j] += dy[o + j];
                    }
                }
            }
        }
        kernels.gemm(true, false, out, in, length, 1f, dy, 0, out, x, 0, in, 1f, g, gW, in);
        if (dx != null) {
            kernels.gemm(false, false, length, in, out, 1f, dy, 0, out, p, w, in, 0f, dx, 0, in);
        }
    }

    // ---------------------------------------------------------------- GELU

    /*
     * GELU is evaluated in float with a rational tanh so that C2 can vectorise the loops (Math.tanh is a
     * scalar double call and cost about as much as a fifth of all the matrix products of a step). The
     * rational function is the odd [13/6] minimax fit used by Eigen and XLA for float tanh: the argument is
     * clamped to ±7.9988 (beyond which float tanh rounds to ±1), and in between the relative error is a
     * few float ulps, far below the error of the tanh approximation of GELU itself.
     */
    static final float GELU_CF = (float) GELU_C;
    static final float GELU_AF = (float) GELU_A;
    static final float TANH_CLAMP = 7.99881172180175781f;
    static final float TANH_A1 = 4.89352455891786e-03f;
    static final float TANH_A3 = 6.37261928875436e-04f;
    static final float TANH_A5 = 1.48572235717979e-05f;
    static final float TANH_A7 = 5.12229709037114e-08f;
    static final float TANH_A9 = -8.60467152213735e-11f;
    static final float TANH_A11 = 2.00018790482477e-13f;
    static final float TANH_A13 = -2.76076847742355e-16f;
    static final float TANH_B0 = 4.89352518554385e-03f;
    static final float TANH_B2 = 2.26843463243900e-03f;
    static final float TANH_B4 = 1.18534705686654e-04f;
    static final float TANH_B6 = 1.19825839466702e-06f;

    /** tanh in float by the clamped rational approximation; branch-free so loops calling it vectorise. */
    static float tanh(float u) {
        float x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, u));
        float x2 = x * x;
        float p = Math.fma(x2, TANH_A13, TANH_A11);
        p = Math.fma(x2, p, TANH_A9);
        p = Math.fma(x2, p, TANH_A7);
        p = Math.fma(x2, p, TANH_A5);
        p = Math.fma(x2, p, TANH_A3);
        p = Math.fma(x2, p, TANH_A1);
        p = x * p;
        float q = Math.fma(x2, TANH_B6, TANH_B4);
        q = Math.fma(x2, q, TANH_B2);
        q = Math.fma(x2, q, TANH_B0);
        return p / q;
    }

    /** GELU, tanh approximation (PyTorch {@code gelu(approximate='tanh')}): {@code 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³)))}. */
    static void geluForward(float[] h, float[] out, int n) {
        if (VECTOR) {
            VectorOps.geluForward(h, out, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            float x = h[i];
            float u = GELU_CF * Math.fma(GELU_AF * x, x * x, x);
            out[i] = 0.5f * x * (1f + tanh(u));
        }
    }

    /** {@code dIn = dOut · gelu'(h)}; {@code dIn} may be {@code dOut}. */
    static void geluBackward(float[] h, float[] dOut, float[] dIn, int n) {
        if (VECTOR) {
            VectorOps.geluBackward(h, dOut, dIn, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            float x = h[i];
            float x2 = x * x;
            float u = GELU_CF * Math.fma(GELU_AF * x, x2, x);
            float th = tanh(u);
            float du = GELU_CF * Math.fma(3f * GELU_AF, x2, 1f);
            float halfX = 0.5f * x;
            float grad = Math.fma(halfX * Math.fma(-th, th, 1f), du, 0.5f * (1f + th));
            dIn[i] = dOut[i] * grad;
        }
    }

    // ---------------------------------------------------------------- causal self-attention

    /**
     * Rows of queries handled per block by the attention products. A block of queries {@code [i0, i1)} can
     * only see keys {@code [0, i1)}, so the products skip the masked upper triangle block by block: with
     * 32-row blocks and 128 positions they do 10/16 of the full square's work.
     */
    static final int ATTENTION_ROW_BLOCK = 32;

    /**
     * Causal multi-head attention over a fused {@code qkv [L, 3d]} (columns: q, then k, then v; head
     * {@code h} owns columns {@code h·hd .. h·hd + hd - 1} of each). Writes the probabilities into
     * {@code att} ({@code [heads, L, L]}, row-major, entries above the diagonal exactly 0) and the
     * concatenated head outputs into {@code y [L, d]}.
     */
    static void attentionForward(Kernels kernels, float[] qkv, int length, int d, int heads,
                                 float[] att, float[] y) {
        attentionForward(kernels, qkv, length, d, heads, att, y, ATTENTION_ROW_BLOCK);
    }

    /** {@link #attentionForward} with query blocks of {@code rowBlock} rows ({@code >= length}: one full square). */
    static void attentionForward(Kernels kernels, float[] qkv, int length, int d, int heads,
                                 float[] att, float[] y, int rowBlock) {
        attentionForward(kernels, qkv, 0, length, d, heads, att, 0, y, rowBlock, null, 0);
    }

    /**
     * {@link #attentionForward} on the {@code length} rows of {@code qkv} and {@code y} that start at row
     * {@code row0} (one item of a group stacked in one buffer), with its probabilities at {@code attOff} of
     * {@code att}, adding the time of its products and of its softmax into {@code nanos[OpTimes.PRODUCTS]}
     * and {@code nanos[OpTimes.ATTENTION]} (no timing when null), counted from {@code since}.
     *
     * @return the time it ended (the next lap's start)
     */
    static long attentionForward(Kernels kernels, float[] qkv, int row0, int length, int d, int heads,
                                 float[] att, int attOff, float[] y, int rowBlock, long[] nanos, long since) {
        int hd = d / heads;
        int ld = 3 * d;
        float scale = (float) (1.0 / Math.sqrt(hd));
        int ll = length * length;
        int q0 = row0 * ld;
        int y0 = row0 * d;
        long t = since;
        for (int h = 0; h < heads; h++) {
            int a = attOff + h * ll;
            for (int i0 = 0; i0 < length; i0 += rowBlock) {
                int i1 = Math.min(length, i0 + rowBlock);
                int rows = i1 - i0;
                // S[i0:i1, 0:i1] = q[i0:i1] · k[0:i1]ᵀ / sqrt(hd); keys at or after i1 are masked for every row.
                kernels.gemm(false, true, rows, i1, hd, scale, qkv, q0 + i0 * ld + h * hd, ld, qkv, q0 + d + h * hd, ld,
                        0f, att, a + i0 * length, length);
                t = lap(nanos, OpTimes.PRODUCTS, t);
                for (int i = i0; i < i1; i++) {
                    softmaxCausalRow(att, a + i * length, i, length);
                }
                t = lap(nanos, OpTimes.ATTENTION, t);
                // y_h[i0:i1] = P[i0:i1, 0:i1] · v_h[0:i1]
                kernels.gemm(false, false, rows, hd, i1, 1f, att, a + i0 * length, length, qkv, q0 + 2 * d + h * hd,
                        ld, 0f, y, y0 + i0 * d + h * hd, d);
                t = lap(nanos, OpTimes.PRODUCTS, t);
            }
        }
        return t;
    }

    /** Softmax of {@code row[0 .. i]} in place, and zeros in {@code row[i+1 .. length)} (the causal mask). */
    private static void softmaxCausalRow(float[] att, int row, int i, int length) {
        if (VECTOR) {
            VectorOps.softmaxRow(att, row, i + 1);
        } else {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j <= i; j++) {
                max = Math.max(max, att[row + j]);
            }
            float sum = 0f;
            for (int j = 0; j <= i; j++) {
                float e = (float) Math.exp(att[row + j] - max);
                att[row + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int j = 0; j <= i; j++) {
                att[row + j] *= inv;
            }
        }
        java.util.Arrays.fill(att, row + i + 1, row + length, 0f);
    }

    /** Adds the time since {@code since} to {@code nanos[family]} (if timing) and returns the time now. */
    private static long lap(long[] nanos, int family, long since) {
        if (nanos == null) {
            return since;
        }
        long now = System.nanoTime();
        nanos[family] += now - since;
        return now;
    }

    /**
     * Backward of {@link #attentionForward}: from {@code dy [L, d]} writes (overwrites) {@code dQkv [L, 3d]}.
     * {@code dAtt} is scratch of at least {@code L·L} floats.
     */
    static void attentionBackward(Kernels kernels, float[] qkv, float[] att, float[] dy, int length, int d,
                                  int heads, float[] dAtt, float[] dQkv) {
        attentionBackward(kernels, qkv, att, dy, length, d, heads, dAtt, dQkv, ATTENTION_ROW_BLOCK);
    }

    /** {@link #attentionBackward} with blocks of {@code rowBlock} rows (and columns) of the score matrix. */
    static void attentionBackward(Kernels kernels, float[] qkv, float[] att, float[] dy, int length, int d,
                                  int heads, float[] dAtt, float[] dQkv, int rowBlock) {
        attentionBackward(kernels, qkv, 0, att, 0, dy, length, d, heads, dAtt, dQkv, rowBlock, null, 0);
    }

    /**
     * {@link #attentionBackward} on the rows of {@code qkv}, {@code dy} and {@code dQkv} that start at
     * {@code row0}, with the probabilities at {@code attOff} of {@code att} (as the forward pass left them),
     * timed as {@link #attentionForward(Kernels, float[], int, int, int, int, float[], int, float[], int,
     * long[], long)} is.
     */
    static long attentionBackward(Kernels kernels, float[] qkv, int row0, float[] att, int attOff, float[] dy,
                                  int length, int d, int heads, float[] dAtt, float[] dQkv, int rowBlock,
                                  long[] nanos, long since) {
        int hd = d / heads;
        int ld = 3 * d;
        float scale = (float) (1.0 / Math.sqrt(hd));
        int ll = length * length;
        int q0 = row0 * ld;
        int y0 = row0 * d;
        long t = since;
        for (int h = 0; h < heads; h++) {
            int a = attOff + h * ll;
            for (int i0 = 0; i0 < length; i0 += rowBlock) {
                int i1 = Math.min(length, i0 + rowBlock);
                int rows = i1 - i0;
                // dP[i0:i1, 0:i1] = dy_h[i0:i1] · v_h[0:i1]ᵀ
                kernels.gemm(false, true, rows, i1, hd, 1f, dy, y0 + i0 * d + h * hd, d, qkv, q0 + 2 * d + h * hd, ld,
                        0f, dAtt, i0 * length, length);
                t = lap(nanos, OpTimes.PRODUCTS, t);
                // dS = P ⊙ (dP - rowsum(dP ⊙ P)); zero above the diagonal because P is.
                for (int i = i0; i < i1; i++) {
                    int row = i * length;
                    int prow = a + i * length;
                    if (VECTOR) {
                        VectorOps.softmaxBackwardRow(att, prow, dAtt, row, i + 1);
                    } else {
                        float dot = 0f;
                        for (int j = 0; j <= i; j++) {
                            dot += dAtt[row + j] * att[prow + j];
                        }
                        for (int j = 0; j <= i; j++) {
                            dAtt[row + j] = att[prow + j] * (dAtt[row + j] - dot);
                        }
                    }
                    java.util.Arrays.fill(dAtt, row + i + 1, row + length, 0f);
                }
                t = lap(nanos, OpTimes.ATTENTION, t);
                // dq_h[i0:i1] = dS[i0:i1, 0:i1] · k_h[0:i1] / sqrt(hd)
                kernels.gemm(false, false, rows, hd, i1, scale, dAtt, i0 * length, length, qkv, q0 + d + h * hd, ld,
                        0f, dQkv, q0 + i0 * ld + h * hd, ld);
                t = lap(nanos, OpTimes.PRODUCTS, t);
            }
            // Key block [j0, j1) is seen only by queries i >= j0.
            for (int j0 = 0; j0 < length; j0 += rowBlock) {
                int j1 = Math.min(length, j0 + rowBlock);
                int cols = j1 - j0;
                int seen = length - j0;
                // dv_h[j0:j1] = P[j0:L, j0:j1]ᵀ · dy_h[j0:L]
                kernels.gemm(true, false, cols, hd, seen, 1f, att, a + j0 * length + j0, length, dy,
                        y0 + j0 * d + h * hd, d, 0f, dQkv, q0 + j0 * ld + 2 * d + h * hd, ld);
                // dk_h[j0:j1] = dS[j0:L, j0:j1]ᵀ · q_h[j0:L] / sqrt(hd)
                kernels.gemm(true, false, cols, hd, seen, scale, dAtt, j0 * length + j0, length, qkv,
                        q0 + j0 * ld + h * hd, ld, 0f, dQkv, q0 + j0 * ld + d + h * hd, ld);
            }
            t = lap(nanos, OpTimes.PRODUCTS, t);
        }
        return t;
    }

    // ---------------------------------------------------------------- cross-entropy

    /** Mean over {@code L} rows of {@code -log softmax(logits[t])[targets[offset + t]]}, by a stable log-sum-exp. */
    static double crossEntropyForward(float[] logits, int length, int vocab, int[] targets, int offset) {
        return crossEntropyForward(logits, 0, length, vocab, targets, offset);
    }

    /** {@link #crossEntropyForward} over the rows of {@code logits} that start at {@code row0}. */
    static double crossEntropyForward(float[] logits, int row0, int length, int vocab, int[] targets, int offset) {
        double total = 0;
        for (int t = 0; t < length; t++) {
            int o = (row0 + t) * vocab;
            total += logSumExp(logits, o, vocab) - logits[o + targets[offset + t]];
        }
        return total / length;
    }

    /** Writes {@code dLogits = scale · (softmax(logits) - onehot(target)) / L}, the gradient of {@code scale ·} the mean. */
    static void crossEntropyBackward(float[] logits, int length, int vocab, int[] targets, int offset,
                                     float scale, float[] dLogits) {
        crossEntropyBackward(logits, 0, length, vocab, targets, offset, scale, dLogits);
    }

    /** {@link #crossEntropyBackward} over the rows of {@code logits} and {@code dLogits} that start at {@code row0}. */
    static void crossEntropyBackward(float[] logits, int row0, int length, int vocab, int[] targets, int offset,
                                     float scale, float[] dLogits) {
        double s = (double) scale / length;
        for (int t = 0; t < length; t++) {
            int o = (row0 + t) * vocab;
            double lse = logSumExp(logits, o, vocab);
            if (VECTOR) {
                VectorOps.expShift(logits, o, vocab, (float) lse, (float) s, dLogits, o);
            } else {
                for (int v = 0; v < vocab; v++) {
                    dLogits[o + v] = (float) (Math.exp(logits[o + v] - lse) * s);
                }
            }
            int target = o + targets[offset + t];
            dLogits[target] = (float) ((Math.exp(logits[target] - lse) - 1.0) * s);
        }
    }

    private static double logSumExp(float[] x, int off, int n) {
        if (VECTOR) {
            return VectorOps.logSumExp(x, off, n);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(x[off + i] - max);
        }
        return max + Math.log(sum);
    }

    // ---------------------------------------------------------------- elementwise

    /** {@code a[i] += b[i]} for {@code i < n}. */
    static void addInPlace(float[] a, float[] b, int n) {
        if (VECTOR) {
            VectorOps.add(a, 0, b, 0, a, 0, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            a[i] += b[i];
        }
    }
}
