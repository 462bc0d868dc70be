package org.cllmlab.core.kernel;

/**
 * Every check of {@link BlockedKernelsTest} again, with the 4-row tile that {@link VectorKernels} chooses on
 * machines with 16 vector registers, and blocks small enough (depth 48) that the test sizes cross their
 * edges.
 */
class VectorKernelsFourRowTileTest extends BlockedKernelsTest {

    @Override
    Kernels newKernels() {
        return new VectorKernels(4, 48, 48 * 80);
    }

    @Override
    String expectedName() {
        return "vector";
    }
}
