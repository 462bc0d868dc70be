package org.cllmlab.core.kernel;

/**
 * Every check of {@link BlockedKernelsTest} again, with A packed by scalar copies: the path of machines
 * without AVX-512's gathers, which the other tests of {@link VectorKernels} do not take on one that has them.
 * Blocks are small (depth 64) so that the test sizes cross their edges.
 */
class VectorKernelsScalarPackingTest extends BlockedKernelsTest {

    @Override
    Kernels newKernels() {
        return new VectorKernels(12, 64, 64 * 96, 64 * 96, false, false);
    }

    @Override
    String expectedName() {
        return "vector";
    }
}
