package org.cllmlab.core.kernel;

/**
 * Every check of {@link BlockedKernelsTest} again, with an 8-row {@link VectorKernels} whose blocks are
 * small (depth 64, A and B blocks of 64 × 96 floats), so that the test sizes cross every block edge: several
 * depth blocks, A blocks and B blocks per product, whatever this machine's caches would choose.
 */
class VectorKernelsSmallBlocksTest extends BlockedKernelsTest {

    @Override
    Kernels newKernels() {
        return new VectorKernels(8, 64, 64 * 96);
    }

    @Override
    String expectedName() {
        return "vector";
    }
}
