package org.cllmlab.core.kernel;

/**
 * Every check of {@link BlockedKernelsTest} again, with the 4-row tile reading a row-major A in place
 * against any B (as {@link VectorKernels#IN_PLACE_WIDE} chooses on a core with no sibling thread) and
 * packing with vectors (as on AVX-512), whatever this machine would choose; blocks small enough (depth 48)
 * that the test sizes cross their edges.
 */
class VectorKernelsFourRowInPlaceTest extends BlockedKernelsTest {

    @Override
    Kernels newKernels() {
        return new VectorKernels(4, 48, 48 * 80, 48 * 96, true, true);
    }

    @Override
    String expectedName() {
        return "vector";
    }
}
