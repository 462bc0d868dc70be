package org.cllmlab.core.kernel;

/**
 * The plain, obviously-correct {@link Kernels}: straight loops with float accumulation, no blocking and
 * no vectorisation. It is the yardstick faster kernels are tested against. The loop orders keep the
 * innermost loop on contiguous memory where the layout allows (i-k-j for {@code A·B}, dot products for
 * {@code A·Bᵀ}), so it is slow but not pathologically so. Stateless and therefore thread-safe.
 */
public final class ReferenceKernels implements Kernels {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (!GemmPrologue.begin(m, n, k, alpha, beta, c, cOff, ldc)) {
            return;
        }
        if (!transA && !transB) {
            // C[i, j] += alpha · A[i, p] · B[p, j], rows of B and C contiguous.
            for (int i = 0; i < m; i++) {
                int aRow = aOff + i * lda;
                int cRow = cOff + i * ldc;
                for (int p = 0; p < k; p++) {
                    float aip = alpha * a[aRow + p];
                    int bRow = bOff + p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] += aip * b[bRow + j];
                    }
                }
            }
        } else if (!transA) {
            // C[i, j] += alpha · dot(A[i, :], B[j, :]), both rows contiguous.
            for (int i = 0; i < m; i++) {
                int aRow = aOff + i * lda;
                int cRow = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    int bRow = bOff + j * ldb;
                    float sum = 0f;
                    for (int p = 0; p < k; p++) {
                        sum += a[aRow + p] * b[bRow + p];
                    }
                    c[cRow + j] += alpha * sum;
                }
            }
        } else if (!transB) {
            // A stored k × m: C[i, j] += alpha · A[p, i] · B[p, j], rows of A, B and C contiguous.
            for (int p = 0; p < k; p++) {
                int aRow = aOff + p * lda;
                int bRow = bOff + p * ldb;
                for (int i = 0; i < m; i++) {
                    float api = alpha * a[aRow + i];
                    int cRow = cOff + i * ldc;
                    for (int j = 0; j < n; j++) {
                        c[cRow + j] += api * b[bRow + j];
                    }
                }
            }
        } else {
            // A stored k × m, B stored n × k: C[i, j] += alpha · dot(A[:, i], B[j, :]).
            for (int i = 0; i < m; i++) {
                int cRow = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    int bRow = bOff + j * ldb;
                    float sum = 0f;
                    for (int p = 0; p < k; p++) {
                        sum += a[aOff + p * lda + i] * b[bRow + p];
                    }
                    c[cRow + j] += alpha * sum;
                }
            }
        }
    }

}
