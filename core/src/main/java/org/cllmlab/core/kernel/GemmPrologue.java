package org.cllmlab.core.kernel;

import java.util.Arrays;

/** What every {@link Kernels#gemm} does before its product: check the sizes and apply {@code beta}. */
final class GemmPrologue {

    private GemmPrologue() {
    }

    /**
     * Checks the sizes and scales {@code C} by {@code beta} (with {@code beta == 0} overwriting it, so
     * that NaN garbage is ignored).
     *
     * @return whether {@code alpha · op(A) · op(B)} still has to be added
     */
    static boolean begin(int m, int n, int k, float alpha, float beta, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm: m=" + m + ", n=" + n + ", k=" + k + "; expected non-negative sizes");
        }
        if (m == 0 || n == 0) {
            return false;
        }
        if (beta != 1f) {
            for (int i = 0; i < m; i++) {
                int cRow = cOff + i * ldc;
                if (beta == 0f) {
                    Arrays.fill(c, cRow, cRow + n, 0f);
                } else {
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] *= beta;
                    }
                }
            }
        }
        return k != 0 && alpha != 0f;
    }
}
