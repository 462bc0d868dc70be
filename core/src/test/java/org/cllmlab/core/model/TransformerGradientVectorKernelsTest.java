package org.cllmlab.core.model;

import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.kernel.VectorKernels;

/** Every check of {@link TransformerGradientTest} again, with the products computed by {@link VectorKernels}. */
class TransformerGradientVectorKernelsTest extends TransformerGradientTest {

    @Override
    Kernels newKernels() {
        return new VectorKernels();
    }
}
