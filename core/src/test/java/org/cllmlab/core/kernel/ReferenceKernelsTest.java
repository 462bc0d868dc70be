package org.cllmlab.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceKernelsTest extends KernelEdgeCasesTest {

    private final Kernels kernels = new ReferenceKernels();

    @Override
    Kernels kernelsUnderTest() {
        return kernels;
    }

    @ParameterizedTest(name = "transA={0} transB={1} alpha={2} beta={3}")
    @CsvSource({
            "false, false, 1.0, 0.0",
            "false, true, 1.0, 0.0",
            "true, false, 1.0, 0.0",
            "true, true, 1.0, 0.0",
            "false, false, 0.5, 1.0",
            "false, true, -1.5, 0.25",
            "true, false, 2.0, 1.0",
            "true, true, 0.75, -2.0"})
    void gemm_stridedOffsetOperands_matchesDoubleTripleLoop(boolean transA, boolean transB, float alpha, float beta) {
        int m = 7;
        int n = 5;
        int k = 9;
        SplittableRandom rnd = new SplittableRandom(42);
        // Stored shapes: A is m×k (or k×m), B is k×n (or n×k); leading dimensions exceed the row widths.
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        int lda = aCols + 3;
        int ldb = bCols + 2;
        int ldc = n + 4;
        int aOff = 5;
        int bOff = 3;
        int cOff = 6;
        float[] a = random(rnd, aOff + aRows * lda + 2);
        float[] b = random(rnd, bOff + bRows * ldb + 2);
        float[] c = random(rnd, cOff + m * ldc + 2);
        float[] expected = c.clone();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += av * bv;
                }
                int ci = cOff + i * ldc + j;
                expected[ci] = (float) (alpha * sum + (beta == 0 ? 0 : beta * (double) c[ci]));
            }
        }

        kernels.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);

        for (int idx = 0; idx < c.length; idx++) {
            assertThat(c[idx]).as("c[%d]", idx).isCloseTo(expected[idx], org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void name_isReference() {
        assertThat(kernels.name()).isEqualTo("reference");
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }
}
