package org.cllmlab.core.kernel;

/**
 * Every check of {@link BlockedKernelsTest} again, with the 12-row tile that {@link VectorKernels} offers for
 * measurement on machines with 32 vector registers, and blocks small enough (depth 64) that the test sizes
 * cross their edges; 12 divides neither the test sizes nor the model's 128-row items, so every product has
 * a partial last tile of rows.
 */
class VectorKernelsTwelveRowTileTest extends BlockedKernelsTest {

    @Override
    Kernels newKernels() {
        return new VectorKernels(12, 64, 64 * 96);
    }

    @Override
    String expectedName() {
        return "vector";
    }
}
