package org.cllmlab.core.model;

import org.cllmlab.core.kernel.BlockedKernels;
import org.cllmlab.core.kernel.Kernels;

/** Every check of {@link OpsGradientTest} again, with the products computed by {@link BlockedKernels}. */
class OpsGradientBlockedKernelsTest extends OpsGradientTest {

    @Override
    Kernels newKernels() {
        return new BlockedKernels();
    }
}
