package org.cllmlab.strategies.kernels;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import org.cllmlab.core.kernel.Kernels;
import org.cllmlab.strategies.Bindings;

/**
 * Dense-math kernels: {@code reference} (the test oracle), {@code blocked} (pure Java) and
 * {@code vector} (the Vector API; its lookup fails with the flag it needs in a JVM without it).
 */
public final class KernelsModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder<String, Kernels> kernels = Bindings.kernels(binder());
        for (String name : Kernels.NAMES) {
            Bindings.add(kernels, name, () -> Kernels.byName(name));
        }
    }
}
