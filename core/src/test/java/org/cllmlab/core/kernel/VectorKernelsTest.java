package org.cllmlab.core.kernel;

/** Every check of {@link BlockedKernelsTest} again, with {@link VectorKernels}. */
class VectorKernelsTest extends BlockedKernelsTest {

    @Override
    Kernels newKernels() {
        return new VectorKernels();
    }

    @Override
    String expectedName() {
        return "vector";
    }
}
