package org.cllmlab.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A fast kernel ({@link BlockedKernels} here, others in subclasses) against {@link ReferenceKernels} and against a double-precision triple loop. */
class BlockedKernelsTest extends KernelEdgeCasesTest {

    private final Kernels fast = newKernels();

    @Override
    Kernels kernelsUnderTest() {
        return fast;
    }

    /** The kernel under test; a subclass runs every check again with another fast kernel. */
    Kernels newKernels() {
        return new BlockedKernels();
    }

    /** The name the kernel under test reports. */
    String expectedName() {
        return "blocked";
    }
    private final Kernels reference = new ReferenceKernels();

    /** Sizes around the block edges (KC = NC = 256) and the micro-kernel's steps of 2 rows and 4 depths. */
    private static final int[] SIZES = {1, 2, 3, 4, 5, 17, 129, 256, 257, 300};

    static Stream<Arguments> cases() {
        SplittableRandom rnd = new SplittableRandom(2024);
        List<Arguments> out = new ArrayList<>();
        float[] alphas = {1f, -0.75f, 2.5f};
        float[] betas = {0f, 1f, 0.5f};
        int caseNo = 0;
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean transB : new boolean[] {false, true}) {
                for (int r = 0; r < 9; r++) {
                    int m = SIZES[rnd.nextInt(SIZES.length)];
                    int n = SIZES[rnd.nextInt(SIZES.length)];
                    int k = SIZES[rnd.nextInt(SIZES.length)];
                    // Keep the double-precision oracle quick.
                    while ((long) m * n * k > 1_000_000L) {
                        k = Math.max(1, k / 2);
                    }
                    out.add(Arguments.of(transA, transB, m, n, k, alphas[caseNo % 3], betas[(caseNo / 3) % 3],
                            rnd.nextInt(5), rnd.nextInt(4)));
                    caseNo++;
                }
            }
        }
        // The model's shapes at a small scale, with attention's strided operands.
        out.add(Arguments.of(false, true, 128, 128, 32, 0.17f, 0f, 7, 3));
        out.add(Arguments.of(true, false, 128, 32, 128, 1f, 0f, 1, 0));
        out.add(Arguments.of(false, false, 1, 1, 1, 1f, 1f, 0, 0));
        // Edges of the vector kernel's tiles (4 × 16 at AVX2, 4 × 32 at AVX-512) and of its 128-row A blocks.
        out.add(Arguments.of(false, false, 97, 33, 7, 1f, 0.5f, 2, 1));
        out.add(Arguments.of(true, true, 13, 17, 300, -0.75f, 0f, 3, 2));
        out.add(Arguments.of(false, true, 6, 16, 256, 1f, 1f, 0, 0));
        out.add(Arguments.of(true, false, 100, 250, 5, 2.5f, 0f, 1, 3));
        out.add(Arguments.of(false, false, 12, 64, 1, 1f, 0f, 0, 0));
        // More rows than one A block and deeper than one depth block, with partial tiles at every edge.
        out.add(Arguments.of(false, false, 261, 37, 300, 0.5f, 1f, 1, 2));
        out.add(Arguments.of(true, true, 261, 37, 300, 1f, 0.5f, 2, 1));
        // A narrow B, whose row-major A the vector kernel reads in place, with a partial last tile of rows.
        out.add(Arguments.of(false, false, 131, 32, 70, 1f, 0f, 1, 2));
        out.add(Arguments.of(false, true, 262, 20, 300, -0.5f, 1f, 3, 0));
        // A wide B against a packed row-major or transposed A: depths that are no multiple of the vector, and a
        // partial last B panel.
        out.add(Arguments.of(false, false, 40, 300, 70, 1f, 0f, 2, 3));
        out.add(Arguments.of(false, true, 41, 300, 70, 1f, 0.5f, 1, 2));
        out.add(Arguments.of(true, true, 24, 200, 33, -1f, 1f, 0, 1));
        return out.stream();
    }

    @ParameterizedTest(name = "transA={0} transB={1} m={2} n={3} k={4} alpha={5} beta={6}")
    @MethodSource("cases")
    void gemm_matchesReferenceAndDoubleProduct(boolean transA, boolean transB, int m, int n, int k,
                                               float alpha, float beta, int pad, int offset) {
        SplittableRandom rnd = new SplittableRandom(31L * m + 17L * n + k);
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        int lda = aCols + pad;
        int ldb = bCols + 2 * pad;
        int ldc = n + pad + 1;
        int aOff = offset + 3;
        int bOff = 2 * offset;
        int cOff = offset + 1;
        float[] a = random(rnd, aOff + aRows * lda + 5);
        float[] b = random(rnd, bOff + bRows * ldb + 5);
        float[] c = random(rnd, cOff + m * ldc + 5);
        if (beta == 0f) {
            // Old contents must be ignored entirely; garbage between the rows must survive untouched.
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, Float.NaN);
            }
        }
        float[] expectedRef = c.clone();
        float[] actual = c.clone();
        double[] exact = new double[c.length];
        double[] magnitude = new double[c.length];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += av * bv;
                    abs += Math.abs(av * bv);
                }
                int ci = cOff + i * ldc + j;
                double old = beta == 0f ? 0 : beta * (double) c[ci];
                exact[ci] = alpha * sum + old;
                magnitude[ci] = Math.abs(alpha) * abs + Math.abs(old);
            }
        }

        reference.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, expectedRef, cOff, ldc);
        fast.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, actual, cOff, ldc);

        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - cOff;
            boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
            if (!inside) {
                assertThat(Float.floatToRawIntBits(actual[idx])).as("untouched c[%d]", idx)
                        .isEqualTo(Float.floatToRawIntBits(c[idx]));
                continue;
            }
            // Float summation error grows with k; bound it by k·eps relative to the sum of magnitudes.
            double tol = 4 * (k + 2) * Math.ulp(1f) * magnitude[idx] + 1e-30;
            assertThat((double) actual[idx]).as("c[%d] vs double product", idx).isCloseTo(exact[idx],
                    org.assertj.core.data.Offset.offset(tol));
            assertThat((double) actual[idx]).as("c[%d] vs reference", idx).isCloseTo(expectedRef[idx],
                    org.assertj.core.data.Offset.offset(2 * tol));
        }
    }

    @Test
    void gemm_concurrentCallers_getTheSameResultsAsAlone() throws Exception {
        int m = 37;
        int n = 300;
        int k = 270;
        SplittableRandom rnd = new SplittableRandom(5);
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, n * k);
        float[] alone = new float[m * n];
        fast.gemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, alone, 0, n);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                results.add(pool.submit(() -> {
                    float[] c = new float[m * n];
                    for (int rep = 0; rep < 5; rep++) {
                        fast.gemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
                    }
                    return c;
                }));
            }
            for (Future<float[]> f : results) {
                assertThat(f.get()).containsExactly(alone);
            }
        }
    }

    @Test
    void name_isTheKernelsName() {
        assertThat(fast.name()).isEqualTo(expectedName());
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }
}
