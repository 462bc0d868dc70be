package org.cllmlab.core.kernel;

import java.util.Arrays;

/**
 * A fast pure-Java {@link Kernels}: cache blocking, packing and a register-blocked micro-kernel whose
 * innermost loop is written so that C2's auto-vectoriser (SuperWord) turns it into SIMD code.
 *
 * <p>Scheme (the Goto/BLIS loop nest, reduced to what C2 can vectorise): {@code op(B)} is cut into
 * {@code KC × NC} blocks that are packed row-major into a contiguous scratch buffer (so every
 * {@code op(B)} layout, transposed or not, becomes unit-stride rows that stay in L2); {@code op(A)} is
 * not packed: the micro-kernel reads its eight scalars per step straight from A (either layout) and scales
 * them by {@code alpha}. The micro-kernel updates two
 * rows of {@code C} from four consecutive {@code p}: its inner loop over contiguous {@code j} reads four
 * packed B rows once and does 16 multiply-adds per element pair of C loads/stores, so it is bound by the
 * floating-point units rather than by L1 stores (a plain {@code c[j] += a·b[j]} loop does one store per
 * multiply-add and cannot exceed half the machine's peak).
 *
 * <p>Results equal {@link ReferenceKernels} up to float rounding: the summation order over {@code p}
 * differs (groups of four, blocks of {@code KC}) and {@code alpha} multiplies {@code A} before the product.
 *
 * <p>Scratch: each call needs about 257 KiB of packing space. Workers call kernels concurrently, possibly
 * from many virtual threads, so the buffers come from a small bounded pool rather than a
 * {@code ThreadLocal} (which would pin one buffer per virtual thread ever used). A call takes a buffer
 * from the pool or allocates one if the pool is empty, and returns it afterwards; the pool keeps at most
 * {@code 2 × availableProcessors} buffers and lets the garbage collector take any extra. The pool costs a
 * lock-free-ish queue operation per call, which is negligible next to even the smallest product
 * (attention on one head). The class is otherwise stateless and thread-safe.
 */
public final class BlockedKernels implements Kernels {

    /** Depth of a packed block (the shared dimension). */
    static final int KC = 256;
    /** Width of a packed block of {@code op(B)}; {@code KC × NC} floats (256 KiB) fit this machine's L2. */
    static final int NC = 256;

    private static final ScratchPool<Scratch> POOL = new ScratchPool<>(Scratch::new);

    /** Packing space for one call. */
    private static final class Scratch {
        /** The packed {@code op(B)} block, one array per row {@code p}. */
        final float[][] b = new float[KC][NC];
        /** The packed last row of A when m is odd. */
        final float[] a = new float[KC];
        /** The two-row C tile being accumulated. */
        final float[] acc0 = new float[NC];
        final float[] acc1 = new float[NC];
    }

    @Override
    public String name() {
        return "blocked";
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float alpha, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc) {
        if (!GemmPrologue.begin(m, n, k, alpha, beta, c, cOff, ldc)) {
            return;
        }
        Scratch s = POOL.take();
        try {
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                for (int j0 = 0; j0 < n; j0 += NC) {
                    int nc = Math.min(NC, n - j0);
                    packB(transB, b, bOff, ldb, p0, kc, j0, nc, s.b);
                    int i = 0;
                    for (; i + 1 < m; i += 2) {
                        // A is read in place (see kernel2); only the single last row of an odd m is packed.
                        kernel2(transA, alpha, a, aOff, lda, i, p0, kc, nc, s.b, s.acc0, s.acc1,
                                c, cOff + i * ldc + j0, cOff + (i + 1) * ldc + j0);
                    }
                    if (i < m) {
                        packA1(transA, alpha, a, aOff, lda, i, p0, kc, s.a);
                        kernel1(kc, nc, s.a, s.b, s.acc0, c, cOff + i * ldc + j0);
                    }
                }
            }
        } finally {
            POOL.give(s);
        }
    }

    /** {@code bp[p][j] = op(B)[p0 + p, j0 + j]}. */
    private static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                              float[][] bp) {
        if (!transB) {
            for (int p = 0; p < kc; p++) {
                System.arraycopy(b, bOff + (p0 + p) * ldb + j0, bp[p], 0, nc);
            }
        } else {
            // B stored n × k: walk each stored row (contiguous in p) and scatter it down a column of bp.
            for (int j = 0; j < nc; j++) {
                int src = bOff + (j0 + j) * ldb + p0;
                for (int p = 0; p < kc; p++) {
                    bp[p][j] = b[src + p];
                }
            }
        }
    }

    /** {@code ap[p] = alpha · op(A)[i, p0 + p]}. */
    private static void packA1(boolean transA, float alpha, float[] a, int aOff, int lda, int i, int p0, int kc,
                               float[] ap) {
        if (!transA) {
            int r0 = aOff + i * lda + p0;
            for (int p = 0; p < kc; p++) {
                ap[p] = alpha * a[r0 + p];
            }
        } else {
            int col = aOff + p0 * lda + i;
            for (int p = 0; p < kc; p++) {
                ap[p] = alpha * a[col + p * lda];
            }
        }
    }

    /**
     * Two rows of C ({@code c[c0 + j]}, {@code c[c1 + j]}, {@code j < nc}) += {@code alpha ·} rows {@code i},
     * {@code i + 1} of {@code op(A)} (depths {@code p0 .. p0 + kc}) · packed B block. Accumulates in the
     * scratch rows {@code acc0}, {@code acc1}, then adds them into C once.
     *
     * <p>The eight A values of a step are read straight from A and scaled by {@code alpha} here: they are
     * scalars of the vector loop, so packing them first (as this kernel once did) only added a scalar
     * copy of A per B block, which cost as much as a quarter of the time of the head-dim-wide attention
     * products. The values are the same floats either way.
     */
    private static void kernel2(boolean transA, float alpha, float[] a, int aOff, int lda, int i, int p0,
                                int kc, int nc, float[][] bp, float[] acc0, float[] acc1,
                                float[] c, int c0, int c1) {
        Arrays.fill(acc0, 0, nc, 0f);
        Arrays.fill(acc1, 0, nc, 0f);
        int p = 0;
        if (!transA) {
            int r0 = aOff + i * lda + p0;
            int r1 = r0 + lda;
            for (; p + 3 < kc; p += 4) {
                rows2x4(nc, acc0, acc1, bp[p], bp[p + 1], bp[p + 2], bp[p + 3],
                        alpha * a[r0 + p], alpha * a[r0 + p + 1], alpha * a[r0 + p + 2], alpha * a[r0 + p + 3],
                        alpha * a[r1 + p], alpha * a[r1 + p + 1], alpha * a[r1 + p + 2], alpha * a[r1 + p + 3]);
            }
            for (; p < kc; p++) {
                rows2x1(nc, acc0, acc1, bp[p], alpha * a[r0 + p], alpha * a[r1 + p]);
            }
        } else {
            // A stored k × m: op(A)[i + r, p0 + p] = a[aOff + (p0 + p)·lda + i + r].
            int col = aOff + p0 * lda + i;
            for (; p + 3 < kc; p += 4) {
                int q0 = col + p * lda;
                int q1 = q0 + lda;
                int q2 = q1 + lda;
                int q3 = q2 + lda;
                rows2x4(nc, acc0, acc1, bp[p], bp[p + 1], bp[p + 2], bp[p + 3],
                        alpha * a[q0], alpha * a[q1], alpha * a[q2], alpha * a[q3],
                        alpha * a[q0 + 1], alpha * a[q1 + 1], alpha * a[q2 + 1], alpha * a[q3 + 1]);
            }
            for (; p < kc; p++) {
                int q = col + p * lda;
                rows2x1(nc, acc0, acc1, bp[p], alpha * a[q], alpha * a[q + 1]);
            }
        }
        for (int j = 0; j < nc; j++) {
            c[c0 + j] += acc0[j];
            c[c1 + j] += acc1[j];
        }
    }

    /** One row of C += packed A row · packed B block. */
    private static void kernel1(int kc, int nc, float[] ap, float[][] bp, float[] acc0, float[] c, int c0) {
        Arrays.fill(acc0, 0, nc, 0f);
        int p = 0;
        for (; p + 3 < kc; p += 4) {
            rows1x4(nc, acc0, bp[p], bp[p + 1], bp[p + 2], bp[p + 3], ap[p], ap[p + 1], ap[p + 2], ap[p + 3]);
        }
        for (; p < kc; p++) {
            float a0 = ap[p];
            float[] x0 = bp[p];
            for (int j = 0; j < nc; j++) {
                acc0[j] = Math.fma(a0, x0[j], acc0[j]);
            }
        }
        for (int j = 0; j < nc; j++) {
            c[c0 + j] += acc0[j];
        }
    }

    /*
     * The vectorised loops. Every array is indexed by the bare loop variable j: C2's SuperWord cannot prove
     * that c[c0 + j] and b[b0 + j] do not overlap when the offsets are run-time values (the two arrays could
     * be the same object), and then it refuses to vectorise. With a common index the only possible overlap
     * is the same element in the same iteration, which vectorisation preserves. Hence the separate scratch
     * arrays for the rows of the packed B block and of the C tile.
     */

    private static void rows2x4(int nc, float[] c0, float[] c1, float[] x0, float[] x1, float[] x2, float[] x3,
                                float a00, float a01, float a02, float a03,
                                float a10, float a11, float a12, float a13) {
        for (int j = 0; j < nc; j++) {
            float b0 = x0[j];
            float b1 = x1[j];
            float b2 = x2[j];
            float b3 = x3[j];
            c0[j] = Math.fma(a03, b3, Math.fma(a02, b2, Math.fma(a01, b1, Math.fma(a00, b0, c0[j]))));
            c1[j] = Math.fma(a13, b3, Math.fma(a12, b2, Math.fma(a11, b1, Math.fma(a10, b0, c1[j]))));
        }
    }

    private static void rows2x1(int nc, float[] c0, float[] c1, float[] x0, float a0, float a1) {
        for (int j = 0; j < nc; j++) {
            float b0 = x0[j];
            c0[j] = Math.fma(a0, b0, c0[j]);
            c1[j] = Math.fma(a1, b0, c1[j]);
        }
    }

    private static void rows1x4(int nc, float[] c0, float[] x0, float[] x1, float[] x2, float[] x3,
                                float a0, float a1, float a2, float a3) {
        for (int j = 0; j < nc; j++) {
            c0[j] = Math.fma(a3, x3[j], Math.fma(a2, x2[j], Math.fma(a1, x1[j], Math.fma(a0, x0[j], c0[j]))));
        }
    }

}
