package org.cllmlab.core.model;

import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.core.kernel.VectorKernels;

/** Every check of {@link OpsGradientTest} again, with the products computed by {@link VectorKernels}. */
class OpsGradientVectorKernelsTest extends OpsGradientTest {

    @Override
    Kernels newKernels() {
        return new VectorKernels();
    }
}
