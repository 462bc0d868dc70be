package org.cllmlab.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The edge cases every {@link Kernels} must get right, run by each kernel's test class. */
abstract class KernelEdgeCasesTest {

    /** The kernel under test. */
    abstract Kernels kernelsUnderTest();

    @Test
    void gemm_betaZero_ignoresNanInOutput() {
        float[] a = {1, 2, 3, 4};
        float[] b = {5, 6, 7, 8};
        float[] c = new float[4];
        Arrays.fill(c, Float.NaN);

        kernelsUnderTest().gemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);

        assertThat(c).containsExactly(19f, 22f, 43f, 50f);
    }

    @Test
    void gemm_zeroInnerDimension_scalesOutputByBeta() {
        float[] c = {1, 2, 3, 4};

        kernelsUnderTest().gemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 1, 0.5f, c, 0, 2);

        assertThat(c).containsExactly(0.5f, 1f, 1.5f, 2f);
    }
}
