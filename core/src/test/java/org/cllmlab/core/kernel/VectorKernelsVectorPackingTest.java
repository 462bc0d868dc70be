package org.cllmlab.core.kernel;

/**
 * Every check of {@link BlockedKernelsTest} again, with the 12-row tile packing A and B with vectors of
 * this machine's preferred species (gathers, masked copies), as on AVX-512, whatever this machine would
 * choose: on AVX2 the same code runs with 8 lanes. Blocks are small (depth 64) so that the test sizes
 * cross their edges.
 */
class VectorKernelsVectorPackingTest extends BlockedKernelsTest {

    @Override
    Kernels newKernels() {
        return new VectorKernels(12, 64, 64 * 96, 64 * 96, true, false);
    }

    @Override
    String expectedName() {
        return "vector";
    }
}
