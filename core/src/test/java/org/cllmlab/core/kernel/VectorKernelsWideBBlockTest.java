package org.cllmlab.core.kernel;

/**
 * Every check of {@link BlockedKernelsTest} again, with A packed for every product and a packed B block
 * three times the A block (as
 * {@link VectorKernels} sizes it from the level-3 cache), both small enough (depth 48) that the test sizes
 * cross the edges of each: an A block then serves several B panels, and is packed again for each B block.
 */
class VectorKernelsWideBBlockTest extends BlockedKernelsTest {

    @Override
    Kernels newKernels() {
        return new VectorKernels(4, 48, 48 * 32, 48 * 96, false, false);
    }

    @Override
    String expectedName() {
        return "vector";
    }
}
