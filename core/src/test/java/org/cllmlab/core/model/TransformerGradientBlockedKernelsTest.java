package org.cllmlab.core.model;

import org.cllmlab.core.kernel.BlockedKernels;
import org.cllmlab.core.kernel.Kernels;

/** Every check of {@link TransformerGradientTest} again, with the products computed by {@link BlockedKernels}. */
class TransformerGradientBlockedKernelsTest extends TransformerGradientTest {

    @Override
    Kernels newKernels() {
        return new BlockedKernels();
    }
}
