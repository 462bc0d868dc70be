package org.cllmlab.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** {@link VectorOps} against double-precision formulas, at lengths around the vector width. */
class VectorOpsTest {

    private final SplittableRandom rnd = new SplittableRandom(11);
    private final int lanes = FloatVector.SPECIES_PREFERRED.length();

    private float[] random(int n, double lo, double hi) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextDouble(lo, hi);
        }
        return x;
    }

    @Test
    void expShift_withinTwoUlpOfMathExp_overTheWholeRange_andSumsThem() {
        for (int r = 0; r < 500; r++) {
            int n = 1 + r % (3 * lanes);
            float[] x = random(n, -87, 88);
            float[] out = new float[n + 1];
            float sum = VectorOps.expShift(x, 0, n, 0f, 1f, out, 1);
            double expectedSum = 0;
            for (int i = 0; i < n; i++) {
                float expected = (float) Math.exp(x[i]);
                expectedSum += expected;
                assertThat(out[1 + i]).as("exp(%s)", x[i]).isCloseTo(expected, within(2.5f * Math.ulp(expected)));
            }
            assertThat((double) sum).isCloseTo(expectedSum, within(1e-5 * expectedSum));
        }
        float[] out = new float[2];
        VectorOps.expShift(new float[] {-1000f, 0f}, 0, 2, 0f, 3f, out, 0);
        assertThat(out[0]).isBetween(0f, 6e-38f);
        assertThat(out[1]).isEqualTo(3f);
        assertThat(VectorOps.expShift(new float[] {2f}, 0, 1, 2f, 1f, null, 0)).isEqualTo(1f);
    }

    @Test
    void softmaxRowAndBackward_everyLengthUpToFiveVectors_matchDouble() {
        for (int n = 1; n <= 5 * lanes + 3; n++) {
            float[] a = random(n + 4, -6, 6);
            float[] p = a.clone();
            VectorOps.softmaxRow(p, 2, n);
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                max = Math.max(max, a[2 + j]);
            }
            double z = 0;
            for (int j = 0; j < n; j++) {
                z += Math.exp(a[2 + j] - max);
            }
            for (int j = 0; j < n; j++) {
                assertThat((double) p[2 + j]).as("n=%d j=%d", n, j).isCloseTo(Math.exp(a[2 + j] - max) / z, within(1e-6));
            }
            assertThat(p[0]).isEqualTo(a[0]);
            assertThat(p[n + 2]).isEqualTo(a[n + 2]);

            float[] dp = random(n + 1, -1, 1);
            float[] ds = dp.clone();
            VectorOps.softmaxBackwardRow(p, 2, ds, 1, n);
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += (double) dp[1 + j] * p[2 + j];
            }
            for (int j = 0; j < n; j++) {
                assertThat((double) ds[1 + j]).isCloseTo(p[2 + j] * (dp[1 + j] - dot), within(1e-6));
            }
        }
    }

    @Test
    void layerNormRow_matchesDouble_andBackwardWritesOrAdds() {
        for (int d : new int[] {lanes - 1, 3 * lanes, 3 * lanes + 5}) {
            float[] x = random(2 * d, -2, 3);
            float[] p = random(2 * d, -1, 1);
            float[] out = new float[2 * d];
            float[] mean = new float[2];
            float[] rstd = new float[2];
            VectorOps.layerNormRow(x, d, d, p, 0, d, out, mean, rstd, 1);
            double mu = 0;
            for (int i = 0; i < d; i++) {
                mu += x[d + i];
            }
            mu /= d;
            double var = 0;
            for (int i = 0; i < d; i++) {
                var += (x[d + i] - mu) * (x[d + i] - mu);
            }
            double r = 1 / Math.sqrt(var / d + Ops.LN_EPS);
            assertThat((double) mean[1]).isCloseTo(mu, within(1e-6));
            assertThat((double) rstd[1]).isCloseTo(r, within(1e-5 * r));
            for (int i = 0; i < d; i++) {
                assertThat((double) out[d + i]).isCloseTo((x[d + i] - mu) * r * p[i] + p[d + i], within(1e-5));
            }

            float[] dOut = random(2 * d, -1, 1);
            float[] dxSet = random(2 * d, -1, 1);
            float[] dxAdd = dxSet.clone();
            float[] before = dxSet.clone();
            VectorOps.layerNormBackwardRow(dOut, x, d, d, mean[1], rstd[1], p, 0, false, dxSet, new float[2 * d], 0, d);
            VectorOps.layerNormBackwardRow(dOut, x, d, d, mean[1], rstd[1], p, 0, true, dxAdd, new float[2 * d], 0, d);
            for (int i = 0; i < d; i++) {
                assertThat(dxAdd[d + i]).isCloseTo(before[d + i] + dxSet[d + i], within(1e-5f));
            }
        }
    }

    @Test
    void gelu_andLogSumExp_matchTheScalarFormulas() {
        int n = 7 * lanes + 3;
        float[] h = random(n, -9, 9);
        float[] out = new float[n];
        VectorOps.geluForward(h, out, n);
        float[] dIn = new float[n];
        float[] ones = new float[n];
        java.util.Arrays.fill(ones, 1f);
        VectorOps.geluBackward(h, ones, dIn, n);
        for (int i = 0; i < n; i++) {
            double x = h[i];
            double u = Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);
            double th = Math.tanh(u);
            assertThat((double) out[i]).isCloseTo(0.5 * x * (1 + th), within(2e-6 * Math.max(1, Math.abs(x))));
            double du = Math.sqrt(2 / Math.PI) * (1 + 3 * 0.044715 * x * x);
            assertThat((double) dIn[i]).isCloseTo(0.5 * (1 + th) + 0.5 * x * (1 - th * th) * du, within(1e-5));
        }
        float[] logits = random(n, -20, 5);
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double z = 0;
        for (float v : logits) {
            z += Math.exp(v - max);
        }
        assertThat(VectorOps.logSumExp(logits, 0, n)).isCloseTo(max + Math.log(z), within(1e-6));

    }
}
